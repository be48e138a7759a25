"""The dashboards' pages: who may open them, the headline as published, and the records behind
each figure (scoped, personal data masked)."""

import io
import re

import openpyxl
import pytest

from tests.cases.factories import case_in
from wangge.core.figures import figure_info
from wangge.people.models import Building, GridPost

PAGES = ("/dashboard", "/dashboard/map", "/dashboard/charts", "/dashboard/records?figure=buildings")


@pytest.mark.parametrize("persona", ["district_official", "subdistrict_official", "community_official", "grid_worker"])
def test_officials_and_grid_workers_open_every_page(client, people, persona):
    client.force_login(getattr(people, persona).user)
    for path in PAGES:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("persona", ["resident", "department_handler"])
def test_others_are_refused(client, people, persona):
    client.force_login(getattr(people, persona).user)
    for path in PAGES:
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/dashboard").url.startswith("/login")


def _flat(figures: dict, prefix: str = "") -> list[tuple[str, object]]:
    """{"grids_by_level": {"1": 13}} -> [("grids_by_level.1", 13)], at any depth."""
    return [pair for key, v in figures.items() for pair in (_flat(v, f"{prefix}{key}.") if isinstance(v, dict) else [(f"{prefix}{key}", v)])]


def _cards(html: str) -> dict[str, str]:
    found = re.findall(r'data-key="([^"]+)".*?class="dash-number">([^<]+)<', html, re.S)
    return dict(found)


def test_the_headline_page_publishes_every_figure_with_a_link_to_its_records(api, client, people):
    client.force_login(people.community_official.user)
    html = client.get("/dashboard").content.decode()
    figures = api.get("/api/stats/headline", token=people.community_official.token).json()
    cards = _cards(html)
    expected = {key: ("—" if v is None else str(v)) for key, v in _flat(figures)}
    assert cards == expected
    assert "三级网格（基础网格）" in html and "按时办结率" in html
    for key in expected:
        if not key.startswith("grids_by_level"):
            # The records behind a figure: the dashboard's records page, or a scoped page of the app's own.
            records = figure_info(key).records
            assert f'href="{records if isinstance(records, str) else f"/dashboard/records?figure={key}"}"' in html, key
    assert 'href="/dashboard/map"' in html


def test_the_records_behind_open_cases_are_those_in_scope(client, people):
    mine, theirs = case_in(people, people.home_grid), case_in(people, people.other_grid)
    client.force_login(people.grid_worker.user)
    html = client.get("/dashboard/records?figure=cases_open").content.decode()
    assert mine.number in html and theirs.number not in html
    assert f'href="/cases/{mine.pk}"' in html
    client.force_login(people.district_official.user)
    html = client.get("/dashboard/records?figure=cases_open").content.decode()
    assert mine.number in html and theirs.number in html


def test_building_records_are_the_grid_workers_own(client, people):
    client.force_login(people.grid_worker.user)
    html = client.get("/dashboard/records?figure=households").content.decode()
    count = int(re.search(r'id="records-count">([\d,]+)<', html)[1].replace(",", ""))
    assert count == Building.objects.filter(grid_code=people.home_grid.code).count()
    assert people.other_grid.code not in html


def test_staff_and_building_records_name_the_grid_with_its_code_on_hover(client, people):
    client.force_login(people.grid_worker.user)
    grid = people.home_grid
    shown = f'<span class="code-name" title="{grid.code}">{grid.name}</span>'
    for figure in ("full_time_grid_workers", "households"):
        html = client.get("/dashboard/records", {"figure": figure}).content.decode()
        assert shown in html, figure
        assert f"<td>{grid.code}</td>" not in html and "网格编码" not in html, figure


def test_staff_records_mask_phones(client, people):
    client.force_login(people.community_official.user)
    post = GridPost.objects.filter(grid=people.home_grid, role="full_time").select_related("person").first()
    html = client.get("/dashboard/records?figure=full_time_grid_workers").content.decode()
    assert post.person.name in html  # a public role: named as on the grid's notice board
    assert post.person.phone and post.person.phone not in html
    assert post.person.id_number not in html


def test_an_unknown_figure_has_no_records(client, people):
    client.force_login(people.district_official.user)
    assert client.get("/dashboard/records?figure=nonsense").status_code == 404
    assert client.get("/dashboard/records?figure=grids_by_level.3").url == "/dashboard/map"


def test_the_records_sort_search_and_export_what_the_page_shows(client, people):
    client.force_login(people.grid_worker.user)
    path = "/dashboard/records"

    def names(params: dict) -> list[str]:
        html = client.get(path, {"figure": "households", **params}).content.decode()
        return re.findall(r"<tr><td>([^<]*)</td>", html[html.index('id="records"'):])

    by_name = names({"sort": "0"})
    assert by_name == sorted(by_name) and names({"sort": "-0"}) == sorted(by_name, reverse=True)[: len(by_name)]
    assert names({"sort": "nonsense"}) == names({})  # an unknown column falls back to the figure's own order
    assert names({"q": by_name[0]}) and all(by_name[0] in n for n in names({"q": by_name[0]}))
    exported = client.get(path, {"figure": "households", "sort": "0", "export": "xlsx"})
    header, *rows = openpyxl.load_workbook(io.BytesIO(exported.content))["数据"].iter_rows(values_only=True)
    assert header[0] == "楼栋" and [row[0] for row in rows][: len(by_name)] == by_name
    assert len(rows) == Building.objects.filter(grid_code=people.home_grid.code).count()
    assert {row[3] for row in rows} == {people.home_grid.name}  # the file names the grid, as the page does


def test_the_case_records_name_the_grid_with_its_code_on_hover_and_export_the_name(client, people):
    case = case_in(people, people.home_grid)
    client.force_login(people.grid_worker.user)
    html = client.get("/dashboard/records", {"figure": "cases_open"}).content.decode()
    row = re.search(rf"<tr><td><a href=\"/cases/{case.pk}\">.*?</tr>", html, re.S).group(0)
    assert f'<span class="code-name" title="{people.home_grid.code}">{people.home_grid.name}</span>' in row
    exported = client.get("/dashboard/records", {"figure": "cases_open", "export": "xlsx"})
    header, *rows = openpyxl.load_workbook(io.BytesIO(exported.content))["数据"].iter_rows(values_only=True)
    mine = dict(zip(header, next(r for r in rows if r[0] == case.number), strict=True))
    assert mine["所在网格"] == people.home_grid.name
