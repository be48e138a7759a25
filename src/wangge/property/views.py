"""Red Property's back-office pages: compounds and companies (officials: their subtree; a
company: its own), the subdistrict's property platform, and the reports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from wangge.core.tables import table_page

from .models import Compound
from .permissions import can_keep_property, can_read_property_reports, require_property_reader
from .selectors import platform as platform_selectors
from .selectors import records, reports

COMPOUND_SORTS = {"name": "name", "community": "community__code", "kind": "kind", "mode": "mode", "households": "households", "area": "floor_area"}
COMPANY_SORTS = {"name": "name", "code": "credit_code"}


def _report_reader(user) -> None:
    if not can_read_property_reports(user):
        raise PermissionDenied("只有区、街道、社区干部可以查看物业报表")


@login_required
def compound_list(request):
    require_property_reader(request.user)
    rows = records.with_registry_figures(records.compounds_visible(request.user))
    kind = request.GET.get("kind", "")
    if kind in Compound.Kind.values:
        rows = rows.filter(kind=kind)
    table = table_page(request, rows, sorts=COMPOUND_SORTS, default_sort="community", search=("name", "community__name"))
    return render(request, "property/compound_list.html", {"table": table, "kinds": Compound.Kind.choices, "kind": kind})


@login_required
def compound_page(request, compound_id: int):
    require_property_reader(request.user)
    compound = records.compound_get(request.user, compound_id)
    figures = records.with_registry_figures(records.compounds_visible(request.user)).get(pk=compound.pk)
    committee = getattr(compound, "owners_committee", None)
    context = {
        "compound": compound,
        "figures": figures,
        "services": records.compound_services(compound),
        "buildings": compound.buildings.order_by("name").only("pk", "name", "address", "households"),
        "committee": committee,
        "members": committee.memberships.select_related("person").only("post", "person__name", "person__party") if committee else [],
        "can_keep": can_keep_property(request.user),
    }
    return render(request, "property/compound.html", context)


@login_required
def company_list(request):
    require_property_reader(request.user)
    table = table_page(request, records.companies_visible(request.user), sorts=COMPANY_SORTS, default_sort="name", search=("name", "credit_code"))
    return render(request, "property/company_list.html", {"table": table, "can_keep": can_keep_property(request.user)})


@login_required
def own_company(request):
    """Where a company account lands: its own company's page."""
    company = records.company_of(request.user)
    if company is None:
        raise Http404("未找到该对象")
    return redirect("property-company", company_id=company.pk)


@login_required
def company_page(request, company_id: int):
    require_property_reader(request.user)
    company = records.company_get(request.user, company_id)
    context = {
        "company": company,
        "services": reports.services_of(company),
        "staff": records.company_staff(company),
        "organisations": company.party_organisations.select_related("organisation__secretary"),
        "instructors": company.party_instructors.filter(ended_on__isnull=True).select_related("person", "sent_by"),
        "can_keep": can_keep_property(request.user),
    }
    if context["can_keep"]:  # who signs in for the company: officials keep that
        context["accounts"] = company.accounts.select_related("user").order_by("user__username")
    return render(request, "property/company.html", context)


@login_required
def platform(request):
    _report_reader(request.user)
    subdistricts = platform_selectors.platform_subdistricts(request.user)
    if not subdistricts:
        raise Http404("未找到该对象")
    chosen = request.GET.get("subdistrict", "")
    subdistrict = next((s for s in subdistricts if s.code == chosen), subdistricts[0])
    context = platform_selectors.platform(request.user, subdistrict) | {"subdistricts": subdistricts}
    return render(request, "property/platform.html", context)


@login_required
def ownerless_report(request):
    _report_reader(request.user)
    return render(request, "property/ownerless_report.html", {"compounds": reports.ownerless_without_backstop(request.user)})


@login_required
def party_report(request):
    _report_reader(request.user)
    return render(request, "property/party_report.html", reports.party_report(request.user))


@login_required
def cross_appointment_report(request):
    _report_reader(request.user)
    return render(request, "property/cross_appointment_report.html", reports.cross_appointment_report(request.user))
