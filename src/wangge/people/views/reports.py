"""Reports for officials: grids short of staff under 一格一干 多专多群, and grid party
organisations missing or breaking a rule. The rules themselves live in the selectors and
services; these pages only show what they find."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from wangge.core.tables import exporting, table_export, table_page
from wangge.geo.scope import scope_of

from ..permissions import require_report_reader
from ..selectors import party, staff

PER_PAGE = 50
STAFFING_TABLE = {
    "sorts": {"grid": "code", "name": "name", "cadre": "cadre", "leaders": "leaders", "specialists": "specialists", "groups": "groups"},
    "default_sort": "grid", "search": ("name", "code", "cadre"),
}
STAFFING_COLUMNS = ["网格", "网格代码", "专职网格员", "网格长·副网格长", "专业力量", "群防群治力量", "问题"]
PARTY_TABLE = {"sorts": {"community": ("community__code", "name"), "name": "name", "kind": ("kind", "name")}, "default_sort": "community", "search": ("name", "community__name")}
PARTY_COLUMNS = ["党组织", "社区", "类型", "网格", "书记（组长）", "党员", "正式党员", "是否符合规定"]


def _staffing_cells(rows: list) -> list[list]:
    return [[r.name, r.code, r.cadre, r.leaders, r.specialists, r.groups, "；".join(r.problems.values())] for r in rows]


def _party_cells(pks: list[int]) -> list[list]:
    return [
        [o["name"], o["community"], o["kind"], "、".join(g["name"] for g in o["grids"]), o["secretary"], o["members"], o["full_members"],
         "；".join(o["problems"]) or "符合规定"]
        for o in party.party_rows(pks)
    ]


@login_required
def staffing_report(request):
    require_report_reader(request.user)
    rows = staff.staffing_by_grid(scope_of(request.user))
    breaking = [row for row in rows if row.problems]
    if exporting(request):
        return table_export(request, breaking, table="people.staffing", title="未达标网格", columns=STAFFING_COLUMNS, cells=_staffing_cells, **STAFFING_TABLE)
    table = table_page(request, breaking, per_page=PER_PAGE, **STAFFING_TABLE)
    context = {
        "grid_count": len(rows),
        "table": table,
        "page": table.page,
        "breaking": table.rows,
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
    # Only the page's keys are read here; the rules are judged for the rows shown (or exported).
    listed = party.party_organisation_list(scope).values_list("pk", flat=True)
    if exporting(request):
        return table_export(request, listed, table="people.party", title="网格党组织", columns=PARTY_COLUMNS, cells=_party_cells, **PARTY_TABLE)
    table = table_page(request, listed, per_page=PER_PAGE, **PARTY_TABLE)
    report = {"page": table.page, "rows": party.party_rows(table.rows), "grids_without_organisation": party.grids_without(scope)}
    return render(request, "people/party_report.html", {"report": report, "page": table.page, "table": table})
