"""Reports for officials: grids short of staff under 一格一干 多专多群, and grid party
organisations missing or breaking a rule. The rules themselves live in the selectors and
services; these pages only show what they find."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from wangge.geo.scope import scope_of
from wangge.geo.selectors import node_names

from ..permissions import require_report_reader
from ..selectors import party, staff


@login_required
def staffing_report(request):
    require_report_reader(request.user)
    rows = staff.staffing_by_grid(scope_of(request.user))
    context = {
        "grid_count": len(rows),
        "breaking": [row for row in rows if row.problems],
        # Subdistrict codes end in 000; a community's never does.
        "rollup": [{**entry, "is_subdistrict": entry["code"].endswith("000")} for entry in staff.staffing_rollup(rows)],
        "min_specialists": settings.WANGGE_STAFFING_MIN_SPECIALISTS,
        "min_groups": settings.WANGGE_STAFFING_MIN_GROUPS,
    }
    return render(request, "people/staffing_report.html", context)


@login_required
def party_report(request):
    require_report_reader(request.user)
    scope = scope_of(request.user)
    report = party.party_report(scope)
    # Grids by name, their codes on hover; the names of grids in the caller's own scope only.
    codes = {code for organisation in report["organisations_breaking_rules"] for code in organisation["grid_codes"]}
    names = {code: name for code, name in node_names(codes).items() if scope.covers(code)}
    return render(request, "people/party_report.html", {"report": report, "grid_names": names})
