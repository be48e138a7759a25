"""The subdistrict's property platform (街道物管平台): its companies, compounds and courtyards,
and their open and overdue property cases, attributed to compounds by where they lie."""

from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from wangge.cases.models import Department
from wangge.cases.selectors import case_list
from wangge.cases.workflow import OPEN
from wangge.geo.models import Division

from ..locating import compounds_at
from .records import (
    SUBDISTRICT_KINDS,
    companies_visible,
    compounds_visible,
    divisions_kept,
    with_registry_figures,
)


@dataclass
class CaseCounts:
    open: int = 0
    overdue: int = 0


def platform_subdistricts(user) -> list[Division]:
    """The subdistricts whose platform the caller may open: those of their subtree, or the
    one their community lies in."""
    kept = list(divisions_kept(user, *SUBDISTRICT_KINDS).order_by("code"))
    if kept:
        return kept
    communities = divisions_kept(user, Division.Kind.COMMUNITY).values("parent_id")
    return list(Division.objects.filter(pk__in=communities).order_by("code"))


def open_property_cases(user, subdistrict: Division):
    """Open cases the caller sees, in the subdistrict, held by a property company."""
    prefix = subdistrict.code[:9]
    return case_list(user).filter(
        grid_code__startswith=prefix, status__in=OPEN, department__kind=Department.Kind.PROPERTY_COMPANY, duplicate_of__isnull=True,
    )


def platform(user, subdistrict: Division) -> dict:
    now = timezone.now()
    compounds = list(with_registry_figures(compounds_visible(user).filter(community__parent=subdistrict)).order_by("community__code", "kind", "name"))
    cases = list(open_property_cases(user, subdistrict).values_list("pk", "lon", "lat", "department_id", "deadline_at"))
    located = compounds_at([c[1] for c in cases], [c[2] for c in cases], within=subdistrict.code[:9])
    by_compound, by_department = Counter(), Counter()
    overdue_compound, overdue_department = Counter(), Counter()
    for (_, _, _, department_id, deadline), compound_id in zip(cases, located, strict=True):
        late = deadline is not None and deadline < now
        by_compound[compound_id] += 1
        by_department[department_id] += 1
        overdue_compound[compound_id] += late
        overdue_department[department_id] += late
    for compound in compounds:
        compound.cases = CaseCounts(by_compound[compound.pk], overdue_compound[compound.pk])
    serving = {c.company_id for c in compounds if c.company_id}
    companies = list(companies_visible(user).filter(pk__in=serving) | companies_visible(user).filter(subdistrict=subdistrict))
    companies = sorted({c.pk: c for c in companies}.values(), key=lambda c: c.name)
    served = Counter(c.company_id for c in compounds)
    for company in companies:
        company.compound_count = served[company.pk]
        company.cases = CaseCounts(by_department[company.department_id], overdue_department[company.department_id])
    return {
        "subdistrict": subdistrict,
        "companies": companies,
        "compounds": [c for c in compounds if c.kind == c.Kind.COMPOUND],
        "courtyards": [c for c in compounds if c.kind == c.Kind.COURTYARD],
        "totals": CaseCounts(len(cases), sum(overdue_department.values())),
    }


