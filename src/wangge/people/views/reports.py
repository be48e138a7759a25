"""Reports for officials: grids short of staff under 一格一干 多专多群, and grid party
organisations missing or breaking a rule. The rules themselves live in the selectors and
services; these pages only show what they find."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from wangge.core.pagination import page_of
from wangge.geo.scope import scope_of

from ..permissions import require_report_reader
from ..selectors import party, staff


@login_required
def staffing_report(request):
    require_report_reader(request.user)
    rows = staff.staffing_by_grid(scope_of(request.user))
    page = page_of([row for row in rows if row.problems], request.GET.get("page"))
    context = {
        "grid_count": len(rows),
        "page": page,
        "breaking": page.object_list,
        # Subdistrict codes end in 000; a community's never does.
        "rollup": [{**entry, "is_subdistrict": entry["code"].endswith("000")} for entry in staff.staffing_rollup(rows)],
        "min_specialists": settings.WANGGE_STAFFING_MIN_SPECIALISTS,
        "min_groups": settings.WANGGE_STAFFING_MIN_GROUPS,
    }
    return render(request, "people/staffing_report.html", context)


@login_required
def party_report(request):
    require_report_reader(request.user)
    report = party.party_report_page(scope_of(request.user), request.GET.get("page"))
    return render(request, "people/party_report.html", {"report": report, "page": report["page"]})
