"""The grid map at /grids in a real browser, against a real gunicorn serving the demo district.

Every figure the page shows is checked against what the server's own API returns to the same
signed-in browser; only the demo's structural counts (13 / 138 / 564 grids) are spelled out.
"""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in as sign_in

pytestmark = pytest.mark.e2e

DEMO_LEVEL_1 = 13
DEMO_LEVEL_2 = 138
DEMO_LEVEL_3 = 564
SCREENSHOT = "/tmp/grids.png"


def log_in(page: Page, server) -> None:
    sign_in(page, server)
    expect(page.locator("#grid-page")).to_have_attribute("data-loaded", "top")


def features(page: Page, server, query: str) -> list[dict]:
    """The grids the API gives this browser's signed-in user."""
    response = page.request.get(f"{server.url}/api/grids?{query}")
    assert response.ok, response.status
    return [f["properties"] for f in response.json()["features"]]


def figure(page: Page, label: str):
    return page.locator("#figures tr").filter(has=page.locator("th", has_text=re.compile(f"^{label}$"))).locator("td")


def list_codes(page: Page) -> list[str]:
    return page.locator("#grid-list button").evaluate_all("bs => bs.map(b => b.dataset.code)")


def drill_into(page, server, grid: dict) -> list[dict]:
    """Click `grid` in the list; its children replace it on the map and in the list."""
    page.click(f'#grid-list button[data-code="{grid["code"]}"]')
    expect(page.locator("#grid-page")).to_have_attribute("data-loaded", grid["code"])
    children = features(page, server, f"parent={grid['code']}")
    assert len(children) == grid["children"]
    expect(page.locator(f"#grid-map path.grid-level-{grid['level'] + 1}")).to_have_count(grid["children"])
    expect(page.locator(f"#grid-map path.grid-level-{grid['level']}")).to_have_count(0)
    assert sorted(list_codes(page)) == sorted(p["code"] for p in children)
    return children


def test_login_shows_level_1_with_district_totals(page: Page, wangge_server):
    log_in(page, wangge_server)

    top = features(page, wangge_server, "level=1")
    assert len(top) == DEMO_LEVEL_1
    expect(page.locator("#grid-map path.grid-level-1")).to_have_count(DEMO_LEVEL_1)
    expect(page.locator("#grid-map path.grid")).to_have_count(DEMO_LEVEL_1)
    expect(page.locator("#grid-list li")).to_have_count(DEMO_LEVEL_1)
    listed = page.locator(f'#grid-list button[data-code="{top[0]["code"]}"]')
    expect(listed).to_have_text(top[0]["name"])
    expect(listed).to_have_attribute("title", top[0]["code"])  # the name shown, the code on hover
    assert sorted(list_codes(page)) == sorted(p["code"] for p in top)

    expect(page.locator("#figures caption")).to_have_text("全区")
    expect(figure(page, "网格数")).to_have_text(f"{DEMO_LEVEL_1:,}")
    expect(figure(page, "户数")).to_have_text(f"{sum(p['households'] for p in top):,}")  # with thousands separators
    expect(figure(page, "人口")).to_have_text(f"{sum(p['population'] for p in top):,}")
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_drill_down_to_a_level_3_grid_and_back(page: Page, wangge_server):
    log_in(page, wangge_server)
    grid_page = page.locator("#grid-page")
    crumbs = page.locator("#crumbs")

    # The demo's structure, from the API: every level-2 and level-3 grid has one parent.
    top = features(page, wangge_server, "level=1")
    assert sum(p["children"] for p in top) == DEMO_LEVEL_2
    assert len(features(page, wangge_server, "level=3")) == DEMO_LEVEL_3

    street = next(p for p in top if p["children"] > 0)
    level_2 = drill_into(page, wangge_server, street)
    expect(crumbs).to_have_text(f"当前位置：全区 > {street['name']}")
    expect(figure(page, "户数")).to_have_text(f"{street['households']:,}")
    expect(figure(page, "下级网格")).to_have_text(f"{street['children']:,}")

    # The list's 导出 follows the trail: the file holds the grids the list shows.
    with page.expect_download() as download:
        page.click("#grid-export")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))["数据"]
    exported = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(exported) == sorted(p["code"] for p in level_2)

    community = next(p for p in level_2 if p["children"] > 0)
    level_3 = drill_into(page, wangge_server, community)
    expect(crumbs).to_have_text(f"当前位置：全区 > {street['name']} > {community['name']}")

    cell = next(p for p in level_3 if p["grid_worker"])
    page.click(f'#grid-list button[data-code="{cell["code"]}"]')
    expect(page.locator("#figures caption")).to_have_text(cell["name"])
    expect(figure(page, "网格编码")).to_have_text(cell["code"])
    expect(figure(page, "网格员")).to_have_text(cell["grid_worker"])
    expect(figure(page, "户数")).to_have_text(f"{cell['households']:,}")
    expect(figure(page, "人口")).to_have_text(f"{cell['population']:,}")
    expect(grid_page).to_have_attribute("data-loaded", community["code"])

    crumbs.get_by_role("button", name="全区", exact=True).click()
    expect(grid_page).to_have_attribute("data-loaded", "top")
    expect(page.locator("#grid-map path.grid-level-1")).to_have_count(DEMO_LEVEL_1)
    expect(page.locator("#grid-map path.grid-level-3")).to_have_count(0)
    expect(crumbs).to_have_text("当前位置：全区")


def test_anonymous_visitor_is_sent_to_login(page: Page, wangge_server):
    page.goto(wangge_server.url + "/grids")
    expect(page).to_have_url(wangge_server.url + "/login?next=/grids")
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#grid-page")).to_have_count(0)


def test_no_request_leaves_the_server(page: Page, wangge_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    log_in(page, wangge_server)
    street = features(page, wangge_server, "level=1")[0]
    page.click(f'#grid-list button[data-code="{street["code"]}"]')
    expect(page.locator("#grid-page")).to_have_attribute("data-loaded", street["code"])
    page.locator("#grid-map").hover()
    page.mouse.wheel(0, -300)  # zooming would fetch tiles, if there were a tile layer
    page.wait_for_load_state("networkidle")

    assert any("/static/vendor/leaflet/leaflet.js" in url for url in requested), requested
    assert any("/api/grids?" in url for url in requested), requested
    elsewhere = [url for url in requested if not url.startswith(wangge_server.url + "/")]
    assert elsewhere == []


def test_phone_sized_viewport_shows_map_and_list(browser, wangge_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        log_in(page, wangge_server)
        grid_map = page.locator("#grid-map")
        expect(grid_map).to_be_visible()
        box = grid_map.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200, box
        expect(page.locator("#grid-map path.grid-level-1")).to_have_count(DEMO_LEVEL_1)

        expect(page.locator("#grid-list")).to_be_visible()
        first = page.locator("#grid-list button").first
        first.scroll_into_view_if_needed()
        expect(first).to_be_visible()
        list_box = page.locator("#grid-list").bounding_box()
        assert list_box is not None and list_box["width"] > 200, list_box
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    finally:
        context.close()
