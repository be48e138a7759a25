"""The Red Property demonstrations page: the year's coverage computed from the designations,
the designations with the criteria each met, and the district official's designation form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from wangge.core.forms import attempted
from wangge.geo.models import Division

from ..models.compounds import Compound
from ..models.demonstrations import CRITERIA, Demonstration
from ..rating.permissions import may_run_rounds
from .services import coverage, demonstration_designate


def _year(text: str) -> int:
    return int(text) if (text or "").isdigit() and 2000 <= int(text[:4]) <= 2100 and len(text) == 4 else timezone.localdate().year


def _designate(request) -> None:
    level = request.POST.get("level", "")
    place = (request.POST.get("place", "") or "").strip()
    division = Division.objects.filter(code=place).first() if level != Demonstration.Level.COMPOUND else None
    compound = Compound.objects.filter(pk=int(place)).first() if level == Demonstration.Level.COMPOUND and place.isdigit() and len(place) < 12 else None
    if division is None and compound is None:
        raise ValidationError({"place": "请选择示范街道、社区或小区"})
    demonstration_designate(year=_year(request.POST.get("year", "")), level=level, criteria=request.POST.getlist("criteria"), actor=request.user,
                            division=division, compound=compound)


@login_required
def demonstrations_page(request):
    if not request.user.is_official:
        raise PermissionDenied("只有区、街道、社区干部可以查看红色物业示范")
    year, error = _year(request.GET.get("year", "")), None
    if request.method == "POST":
        if (error := attempted(lambda: _designate(request))) is None:
            messages.success(request, "已命名")
            return redirect("property-demonstrations")
    designations = Demonstration.objects.filter(year=year).select_related("division", "compound")
    for d in designations:
        d.criteria_names = [CRITERIA.get(code, code) for code in d.criteria]
    return render(request, "property/demonstrations.html", {
        "year": year, "coverage": coverage(year=year), "designations": designations, "error": error, "criteria": CRITERIA.items(),
        "levels": Demonstration.Level.choices, "may_designate": may_run_rounds(request.user),
        "divisions": Division.objects.filter(kind__in=[Division.Kind.SUBDISTRICT, Division.Kind.COMMUNITY]).order_by("code"),
        "compounds": Compound.objects.select_related("community").order_by("community__code", "name") if may_run_rounds(request.user) else [],
    }, status=400 if error else 200)
