"""A queue exported: the rows its pages show (scope, filters, search, order), every page of them,
as an .xlsx workbook with names rather than codes; audited; refused past the cap; text never a formula."""

import io
import re

import openpyxl
from django.test import override_settings

from tests.cases.factories import case_in
from wangge.cases.models import Case
from wangge.core.models import AuditRecord


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    return list(openpyxl.load_workbook(io.BytesIO(response.content))["数据"].iter_rows(values_only=True))


def _numbers_on_every_page(client, path: str, params: dict) -> list[str]:
    numbers, page = [], 1
    while True:
        html = client.get(path, {**params, "page": page}).content.decode()
        numbers += re.findall(r'<tr id="case-\d+" data-number="([^"]+)"', html)
        if 'rel="next"' not in html:
            return numbers
        page += 1


def test_it_exports_every_page_of_the_queue_and_nothing_out_of_scope(client, people):
    for n in range(51):  # more than one page of the queue
        case_in(people, people.home_grid, client_id=f"export-home-{n}")
    theirs = case_in(people, people.other_grid, client_id="export-other")
    client.force_login(people.community_official.user)
    params = {"sort": "oldest", "q": ""}
    shown = _numbers_on_every_page(client, "/cases/dispatch", params)
    header, *rows = _sheet(client.get("/cases/dispatch", {**params, "export": "xlsx"}))

    assert header[:5] == ("受理编号", "状态", "类别", "网格", "网格代码")
    assert [row[0] for row in rows] == shown and len(shown) > 50  # more than one page of the queue
    assert theirs.number not in {row[0] for row in rows}
    assert all(row[4].startswith(people.community_official.user.scope_code) for row in rows)
    home = next(row for row in rows if row[4] == people.home_grid.code)
    assert home[3] == people.home_grid.name  # the name the page shows, the code beside it

    record = AuditRecord.objects.filter(action="export.table", object_id="cases.dispatch").latest("seq")
    assert record.username == "community_official" and record.result == "ok"
    assert record.after == {"filters": {"sort": "oldest"}, "rows": len(rows)}


def test_it_exports_the_filtered_rows_alone(client, people):
    case = case_in(people, people.home_grid, client_id="export-filtered")
    client.force_login(people.community_official.user)
    _, *rows = _sheet(client.get("/cases/dispatch", {"q": case.number, "export": "xlsx"}))
    assert [row[0] for row in rows] == [case.number]
    handler = client.get("/cases/department", {"export": "xlsx"})
    assert handler.status_code == 403  # a queue's export is no wider than the queue


def test_it_refuses_an_export_past_the_cap_in_chinese(client, people):
    for n in range(3):
        case_in(people, people.home_grid, client_id=f"export-cap-{n}")
    client.force_login(people.grid_worker.user)
    rows = len(_sheet(client.get("/cases/grid", {"export": "xlsx"}))) - 1
    with override_settings(WANGGE_EXPORT_MAX_ROWS=rows - 1):
        response = client.get("/cases/grid", {"export": "xlsx"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert f"超过导出上限 {rows - 1:,} 行：请缩小搜索或筛选范围后再导出" in response.content.decode()
    refused = AuditRecord.objects.filter(action="export.table", object_id="cases.grid").latest("seq")
    assert refused.result == "denied" and refused.after["rows"] == rows


def test_it_writes_formula_like_text_as_text(client, people):
    case = case_in(people, people.home_grid, client_id="export-formula")
    Case.objects.filter(pk=case.pk).update(description="=1+1", address="@SUM(A1)")
    client.force_login(people.grid_worker.user)
    response = client.get("/cases/grid", {"q": case.number, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["数据"]
    header = [cell.value for cell in sheet[1]]
    description, address = sheet.cell(2, header.index("问题描述") + 1), sheet.cell(2, header.index("地址") + 1)
    assert (description.value, description.data_type) == ("=1+1", "s")
    assert (address.value, address.data_type) == ("@SUM(A1)", "s")
