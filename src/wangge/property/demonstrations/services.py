"""Red Property demonstrations: designating a place for a year, and the programme's coverage."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from wangge.geo.models import Division

from ..models.compounds import Compound
from ..models.demonstrations import CRITERIA, Demonstration
from ..rating.permissions import may_run_rounds


@transaction.atomic
def demonstration_designate(*, year: int, level: str, criteria: list[str], actor, division: Division | None = None,
                            compound: Compound | None = None) -> Demonstration:
    """Designate a subdistrict, community or compound a demonstration of `year` for the criteria it met."""
    if actor is not None and not may_run_rounds(actor):
        raise PermissionDenied("只有区级干部可以命名红色物业示范")
    unknown = [c for c in criteria if c not in CRITERIA]
    if unknown or not criteria:
        raise ValidationError({"criteria": f"未知的示范标准：{unknown[0]}" if unknown else "请选择达到的示范标准"})
    expected = {Demonstration.Level.SUBDISTRICT: Division.Kind.SUBDISTRICT, Demonstration.Level.COMMUNITY: Division.Kind.COMMUNITY}.get(level)
    if level != Demonstration.Level.COMPOUND and (division is None or division.kind != expected):
        raise ValidationError({"division": "示范街道须选择街道，示范社区须选择社区"})
    demonstration = Demonstration(year=year, level=level, criteria=sorted(set(criteria)), designated_by=actor,
                                  division=division if level != Demonstration.Level.COMPOUND else None,
                                  compound=compound if level == Demonstration.Level.COMPOUND else None)
    demonstration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            demonstration.save()
    except IntegrityError:
        raise ValidationError({"year": f"{demonstration.place}已是{year}年度的示范"}) from None
    return demonstration


def coverage(*, year: int) -> dict:
    """The demonstrations' reach by `year`: the subdistricts, communities and compounds designated
    in it or before, each level against how many there are. (Where the programme itself has
    started is another figure, recorded per compound: `Compound.programme_started_on`.)"""
    started = Demonstration.objects.filter(year__lte=year)
    places = {
        "subdistricts": (started.filter(level=Demonstration.Level.SUBDISTRICT), Division.objects.filter(kind=Division.Kind.SUBDISTRICT)),
        "communities": (started.filter(level=Demonstration.Level.COMMUNITY), Division.objects.filter(kind=Division.Kind.COMMUNITY)),
    }
    found = {name: {"designated": chosen.values("division").distinct().count(), "of": total.count()} for name, (chosen, total) in places.items()}
    found["compounds"] = {
        "designated": started.filter(level=Demonstration.Level.COMPOUND).values("compound").distinct().count(), "of": Compound.objects.count(),
    }
    return found
