"""The charts' data (GET /api/stats/charts) and their CSV and XLSX downloads, scoped and
computed from the data."""

import csv
import io

import openpyxl
from django.utils import timezone

from tests.cases.factories import case_in
from tests.dashboard.helpers import closed_case
from wangge.cases.models import Department
from wangge.core.models import AuditRecord
from wangge.geo.scope import Scope
from wangge.people.selectors.staff import staffing_by_grid


def charts(api, token) -> dict:
    response = api.get("/api/stats/charts", token=token)
    assert response.status_code == 200, response.text
    return {c["key"]: c for c in response.json()["charts"]}


def test_cases_by_category_and_month_count_the_cases_in_scope(api, people):
    home, other = people.home_grid, people.other_grid
    case_in(people, home, client_id="1")
    case_in(people, home, client_id="2", category="street_light")
    case_in(people, other, client_id="3")
    mine = charts(api, people.grid_worker.token)
    assert sorted(row[1:] for row in mine["cases_by_category"]["rows"]) == [[1, 1], [1, 1]]  # one each, still open
    assert {row[0] for row in mine["cases_by_category"]["rows"]} == {"暴露垃圾", "路灯"}
    months = mine["cases_by_month"]["rows"]
    assert len(months) == 12 and months[-1][0] == f"{timezone.localdate():%Y-%m}"
    assert months[-1][1] == 2 and sum(r[1] for r in months[:-1]) == 0
    district = charts(api, people.district_official.token)
    assert sum(row[1] for row in district["cases_by_category"]["rows"]) == 3


def test_on_time_rate_by_department_is_on_time_over_closed(api, people):
    roads = Department.objects.create(code="roads", name="交通运输局")
    parks = Department.objects.create(code="parks", name="园林绿化中心")
    for on_time in (True, True, False):
        closed_case(people.home_grid, on_time=on_time, department=roads)
    closed_case(people.other_grid, on_time=False, department=parks)
    rows = {row[0]: row for row in charts(api, people.district_official.token)["on_time_by_department"]["rows"]}
    assert rows["交通运输局"][1:] == [3, 2, round(2 / 3, 4)]
    assert rows["园林绿化中心"][1:] == [1, 0, 0.0]
    mine = charts(api, people.grid_worker.token)["on_time_by_department"]["rows"]
    assert [row[0] for row in mine] == ["交通运输局"]


def test_staffing_gaps_by_subdistrict_match_the_staffing_rule(api, people):
    subdistrict = people.home_grid.community.parent
    rows = charts(api, people.subdistrict_official.token)["staffing_gaps_by_subdistrict"]["rows"]
    grids = staffing_by_grid(Scope(subdistrict.code[:9]))
    assert rows == [[subdistrict.name, len(grids), sum(1 for g in grids if g.problems), *rows[0][3:]]]
    district = charts(api, people.district_official.token)["staffing_gaps_by_subdistrict"]["rows"]
    assert len(district) == 13  # 12 subdistricts and the development zone


def test_csv_and_xlsx_downloads_hold_the_chart_table_and_are_audited(api, client, people):
    department = Department.objects.create(code="roads", name="交通运输局")
    closed_case(people.home_grid, on_time=True, department=department)
    closed_case(people.home_grid, on_time=False, department=department)
    client.force_login(people.community_official.user)
    table = charts(api, people.community_official.token)["on_time_by_department"]

    response = client.get("/dashboard/charts/download", {"chart": "on_time_by_department", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [table["columns"], ["交通运输局", "2", "1", "0.5"]]

    response = client.get("/dashboard/charts/download", {"chart": "on_time_by_department", "format": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [table["columns"], ["交通运输局", 2, 1, 0.5]]

    audited = AuditRecord.objects.filter(action="export.figures", object_id="on_time_by_department")
    assert audited.count() == 2


def test_a_csv_download_keeps_a_formula_like_name_from_running_and_numbers_as_they_are(client, people):
    department = Department.objects.create(code="risky", name='=HYPERLINK("http://evil.example","点此")')
    closed_case(people.home_grid, on_time=False, department=department)
    client.force_login(people.community_official.user)
    response = client.get("/dashboard/charts/download", {"chart": "on_time_by_department", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["'" + department.name, "1", "0", "0.0"]


def test_a_download_with_a_bad_parameter_names_it_and_writes_nothing(client, people):
    client.force_login(people.district_official.user)
    before = AuditRecord.objects.count()
    response = client.get("/dashboard/charts/download", {"chart": "no_such_chart", "format": "csv"})
    assert response.status_code == 400 and "chart" in response.content.decode()
    response = client.get("/dashboard/charts/download", {"chart": "cases_by_month", "format": "pdf"})
    assert response.status_code == 400 and "format" in response.content.decode()
    assert AuditRecord.objects.count() == before


def test_the_current_month_is_marked_as_counted_only_up_to_today(api, people, client):
    case_in(people, people.home_grid, client_id="1")
    data = charts(api, people.district_official.token)
    today = timezone.localdate()
    months = data["cases_by_month"]
    assert months["partial"] == {"row": 11, "through": today.isoformat(), "label": f"本月（截至 {today.day} 日）"}
    assert months["rows"][months["partial"]["row"]][0] == f"{today:%Y-%m}"
    assert data["cases_by_category"]["partial"] is None and data["on_time_by_department"]["partial"] is None

    client.force_login(people.district_official.user)
    html = client.get("/dashboard/charts").content.decode()
    assert f'<tr class="dash-partial"><td>{today:%Y-%m} 本月（截至 {today.day} 日）</td>' in html
    assert f"数字只计到 {today.isoformat()}" in html
