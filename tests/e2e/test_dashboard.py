"""The dashboards in a real browser against gunicorn serving the demo district with its year of
cases: the headline, the map drilled down from the district to a level-3 grid, the charts, and
a grid worker who sees only their grid. Every number shown is checked against the server's own
API for the same signed-in browser. Screenshots go to $WANGGE_SCREENSHOTS or var/screenshots/."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in, sign_in_as

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def screenshot(page: Page, name: str) -> None:
    folder = Path(os.environ.get("WANGGE_SCREENSHOTS") or REPO / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def api(page: Page, server, path: str) -> dict:
    response = page.request.get(server.url + path)
    assert response.ok, (path, response.status)
    return response.json()


def loaded(page: Page, parent: str, figure: str = "households") -> None:
    expect(page.locator("#dash-map-page")).to_have_attribute("data-loaded", f"{parent}:{figure}")


def table_values(page: Page) -> dict[str, str]:
    rows = page.locator("#dash-grid-table tbody tr")
    codes = rows.locator("button").evaluate_all("bs => bs.map(b => b.dataset.code)")
    return dict(zip(codes, rows.locator(".dash-grid-value").all_inner_texts(), strict=True))


def shown(value, figure: dict) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if figure["rate"] else f"{value} {figure['unit']}"


def check_level(page: Page, server, parent: str | None, figure: str) -> dict:
    data = api(page, server, f"/api/stats/grids?figure={figure}" + (f"&parent={parent}" if parent else ""))
    expected = {f["properties"]["code"]: shown(f["properties"]["value"], data["figure"]) for f in data["features"]}
    assert table_values(page) == expected
    levels = {f["properties"]["level"] for f in data["features"]}
    expect(page.locator("#dash-map path.dash-grid")).to_have_count(len(expected))
    assert len(levels) == 1
    expect(page.locator(f"#dash-map path.dash-grid-level-{levels.pop()}")).to_have_count(len(expected))
    return data


def test_the_headline_page_shows_every_figure(page: Page, wangge_server):
    log_in(page, wangge_server, next_path="/dashboard")
    figures = api(page, wangge_server, "/api/stats/headline")
    expect(page.locator('.dash-card[data-key="grids_by_level.3"] .dash-number')).to_have_text(str(figures["grids_by_level"]["3"]))
    expect(page.locator('.dash-card[data-key="cases_open"] .dash-number')).to_have_text(str(figures["cases_open"]))
    expect(page.locator('.dash-card[data-key="on_time_rate"] .dash-number')).to_have_text(f"{figures['on_time_rate'] * 100:.1f}")
    assert figures["cases_open"] > 0  # the demo's year of cases
    screenshot(page, "dashboard-headline.png")
    page.click('.dash-card[data-key="cases_open"] a')
    expect(page.locator("#records-count")).to_have_text(str(figures["cases_open"]))


def test_an_official_drills_the_map_down_to_a_level_3_grid(page: Page, wangge_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, wangge_server, next_path="/dashboard/map")
    loaded(page, "top")
    top = check_level(page, wangge_server, None, "households")
    assert len(top["features"]) == 13

    page.select_option("#dash-figure", "cases_open")
    loaded(page, "top", "cases_open")
    top = check_level(page, wangge_server, None, "cases_open")
    street = max(top["features"], key=lambda f: f["properties"]["value"])["properties"]
    page.click(f'#dash-grid-table button[data-code="{street["code"]}"]')
    loaded(page, street["code"], "cases_open")
    level_2 = check_level(page, wangge_server, street["code"], "cases_open")
    assert sum(f["properties"]["value"] for f in level_2["features"]) == street["value"]
    expect(page.locator("#dash-crumbs")).to_have_text(f"当前位置：全区 > {street['name']}")

    community = max(level_2["features"], key=lambda f: f["properties"]["value"])["properties"]
    page.click(f'#dash-grid-table button[data-code="{community["code"]}"]')
    loaded(page, community["code"], "cases_open")
    level_3 = check_level(page, wangge_server, community["code"], "cases_open")
    assert {f["properties"]["level"] for f in level_3["features"]} == {3}
    expect(page.locator("#dash-crumbs")).to_have_text(f"当前位置：全区 > {street['name']} > {community['name']}")
    points = api(page, wangge_server, f"/api/stats/case-points?parent={community['code']}")["features"]
    assert len(points) == community["value"] > 0
    expect(page.locator("#dash-map path.dash-case")).to_have_count(len(points))

    page.select_option("#dash-figure", "on_time_rate")
    loaded(page, community["code"], "on_time_rate")
    check_level(page, wangge_server, community["code"], "on_time_rate")
    screenshot(page, "dashboard-map-level3.png")

    page.locator("#dash-crumbs").get_by_role("button", name="全区", exact=True).click()
    loaded(page, "top", "on_time_rate")
    expect(page.locator("#dash-map path.dash-grid-level-1")).to_have_count(13)
    assert [url for url in requested if not url.startswith(wangge_server.url + "/")] == []


def test_a_grid_worker_sees_only_their_grid(browser, wangge_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    try:
        code = "410104001001001"
        sign_in_as(context, wangge_server, f"gw{code}")
        page = context.new_page()
        page.goto(wangge_server.url + "/dashboard/map")
        expect(page.locator("#dash-map-page")).to_have_attribute("data-loaded", f"{code[:12]}000:households")
        assert list(table_values(page)) == [code]
        expect(page.locator("#dash-map path.dash-grid")).to_have_count(1)
        points = api(page, wangge_server, "/api/stats/case-points")["features"]
        assert {p["properties"]["grid_code"] for p in points} <= {code}
        expect(page.locator("#dash-map path.dash-case")).to_have_count(len(points))
        page.goto(wangge_server.url + "/dashboard")
        figures = api(page, wangge_server, "/api/stats/headline")
        assert figures["grids_by_level"]["3"] == 1
        expect(page.locator('.dash-card[data-key="grids_by_level.3"] .dash-number')).to_have_text("1")
    finally:
        context.close()


def test_the_charts_draw_with_a_table_view_and_downloads(page: Page, wangge_server):
    log_in(page, wangge_server, next_path="/dashboard/charts")
    expect(page.locator("#dash-charts")).to_have_attribute("data-loaded", "1")
    data = {c["key"]: c for c in api(page, wangge_server, "/api/stats/charts")["charts"]}
    assert set(data) == {"cases_by_category", "cases_by_month", "on_time_by_department", "staffing_gaps_by_subdistrict", "red_property_stars_by_subdistrict",
                         "project_spending_by_category_source"}
    for key, chart in data.items():
        section = page.locator(f"#chart-{key}")
        expect(section).to_have_attribute("data-drawn", "1")
        expect(section.locator(".dash-chart-canvas svg")).to_have_count(1)
        expect(section.locator(".dash-chart-table tbody tr")).to_have_count(len(chart["rows"]))
    screenshot(page, "dashboard-charts.png")

    month = page.locator("#chart-cases_by_month")
    month.get_by_role("button", name="表格").click()
    expect(month.locator(".dash-chart-table")).to_be_visible()
    expect(month.locator(".dash-chart-canvas")).to_be_hidden()
    first = data["cases_by_month"]["rows"][0]
    expect(month.locator(".dash-chart-table tbody tr").first).to_have_text("".join(str(c) for c in first))

    with page.expect_download() as download:
        month.get_by_role("link", name="下载 CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == ",".join(data["cases_by_month"]["columns"])
    assert text[1] == ",".join(str(c) for c in first)
