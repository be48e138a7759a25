"""A grid worker's pages on a phone, in a real browser against a real gunicorn serving the demo.

What the pages should show is read from the server's own API by the district administrator;
the grid worker is one of the demo's accounts (`gw<grid code>`).
"""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in, sign_in_as

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
MASKED_NAME = re.compile(r"^\S\*+$")
MASKED_PHONE = re.compile(r"^1\d\d\*{4}\d{4}$|^未登记电话$")
SCREENSHOT = "/tmp/my-grid.png"


@dataclass(frozen=True)
class DemoGrid:
    code: str
    name: str
    cadre: str
    buildings: int
    other_code: str  # another grid
    other_building: int  # a building in that grid


@pytest.fixture(scope="module")
def demo_grid(browser, wangge_server) -> DemoGrid:
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        log_in(page, wangge_server)

        def get(path: str):
            response = page.request.get(wangge_server.url + path)
            assert response.ok, (path, response.status)
            return response.json()

        grids = sorted((f["properties"] for f in get("/api/grids?level=3")["features"]), key=lambda g: g["code"])
        home, other = grids[0], grids[-1]
        buildings = get(f"/api/buildings?grid={home['code']}&limit=1")["count"]
        other_building = get(f"/api/buildings?grid={other['code']}&limit=1")["items"][0]["id"]
        assert home["grid_worker"] and buildings, home
        return DemoGrid(home["code"], home["name"], home["grid_worker"], buildings, other["code"], other_building)
    finally:
        context.close()


@pytest.fixture
def phone(browser, wangge_server, demo_grid) -> Page:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    sign_in_as(context, wangge_server, f"gw{demo_grid.code}")
    yield context.new_page()
    context.close()


def assert_no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"


def test_a_grid_worker_opens_their_grid_and_a_building(phone: Page, wangge_server, demo_grid):
    page = phone
    page.goto(wangge_server.url + "/my-grid")
    expect(page.locator("#grid-title")).to_have_text(demo_grid.name)

    grid_map = page.locator("#my-grid-map")
    expect(grid_map).to_have_attribute("data-drawn", "true")
    expect(grid_map.locator("path.grid-outline")).to_have_count(1)
    expect(grid_map.locator("path.building-marker")).to_have_count(demo_grid.buildings)
    box = grid_map.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] >= 240, box

    staff = page.locator("#staff")
    expect(staff).to_be_visible()
    expect(staff.locator("li", has_text=demo_grid.cadre).first).to_be_visible()
    phones = staff.locator(".phone").all_inner_texts()
    assert phones and all(MASKED_PHONE.match(p) for p in phones), phones
    expect(page.locator("#party h3")).to_have_text(re.compile(r"(党支部|党小组)$"))
    assert_no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOT, full_page=True)

    links = page.locator("#buildings a")
    expect(links).to_have_count(demo_grid.buildings)
    first = links.first
    first.scroll_into_view_if_needed()
    tap_box = first.bounding_box()
    assert tap_box is not None and tap_box["height"] >= 44, tap_box  # a finger-sized target
    first.tap()

    expect(page).to_have_url(re.compile(r"/my-grid/buildings/\d+$"))
    residents = page.locator("#dwellings .resident")
    expect(residents.first).to_be_visible()
    names = residents.locator(".name").all_inner_texts()
    assert names and all(MASKED_NAME.match(n) for n in names), names
    phones = residents.locator(".phone").all_inner_texts()
    assert all(MASKED_PHONE.match(p) for p in phones), phones
    assert_no_sideways_scroll(page)


def test_a_tap_on_a_building_marker_opens_the_building(phone: Page, wangge_server):
    page = phone
    page.goto(wangge_server.url + "/my-grid")
    expect(page.locator("#my-grid-map")).to_have_attribute("data-drawn", "true")
    page.locator("#my-grid-map path.building-marker").first.tap()
    expect(page).to_have_url(re.compile(r"/my-grid/buildings/\d+$"))
    expect(page.locator("#dwellings")).to_be_visible()


def test_another_grids_building_is_not_found(phone: Page, wangge_server, demo_grid):
    response = phone.goto(f"{wangge_server.url}/my-grid/buildings/{demo_grid.other_building}")
    assert response is not None and response.status == 404
    response = phone.goto(f"{wangge_server.url}/my-grid?grid={demo_grid.other_code}")
    assert response is not None and response.status == 404
