"""Red Property's headline figures, registered with the floor (`wangge.core.figures`); the
dashboard composes them, scoped to the caller's subtree."""

from django.db.models import Count, Q

from wangge.core.figures import Records, describe_figure

from .models import Compound
from .selectors.records import active_services, compounds_in_scope

SECTION = "红色物业"


def figures(scope) -> dict:
    counts = compounds_in_scope(scope).aggregate(
        compounds=Count("pk", filter=Q(kind=Compound.Kind.COMPOUND)),
        courtyards=Count("pk", filter=Q(kind=Compound.Kind.COURTYARD)),
        ownerless=Count("pk", filter=Q(mode=Compound.Mode.OWNERLESS)),
        ownerless_unbacked=Count("pk", filter=Q(mode=Compound.Mode.OWNERLESS) & ~Q(pk__in=active_services().values("compound_id"))),
    )
    return {
        "property_compounds": counts["compounds"],
        "property_courtyards": counts["courtyards"],
        "ownerless_courtyards": counts["ownerless"],
        "ownerless_without_backstop": counts["ownerless_unbacked"],
    }


def _compound_records(title: str, **filters):
    def records(scope):
        rows = compounds_in_scope(scope).filter(**filters).select_related("community").order_by("community__code", "name")
        return Records(
            title=title, columns=["社区", "名称", "类型", "管理模式"], rows=rows,
            row=lambda c: [c.community.name, c.name, c.get_kind_display(), c.get_mode_display()], link=lambda c: f"/property/compounds/{c.pk}",
        )

    return records


def register_dashboard() -> None:
    describe_figure("property_compounds", "小区", unit="个", section=SECTION, records=_compound_records("小区", kind=Compound.Kind.COMPOUND))
    describe_figure("property_courtyards", "楼院", unit="个", section=SECTION, records=_compound_records("楼院", kind=Compound.Kind.COURTYARD))
    describe_figure("ownerless_courtyards", "无主管楼院", unit="个", section=SECTION, records=_compound_records("无主管楼院", mode=Compound.Mode.OWNERLESS))
    describe_figure("ownerless_without_backstop", "未落实托底的无主管楼院", unit="个", section=SECTION, records="/property/reports/ownerless")
