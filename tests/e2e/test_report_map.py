"""Placing a report on the map, and the public map of reports, in a real browser against a real
gunicorn serving the demo district with its year of cases.

On a phone (390 px) a grid worker locates, drops the point on the map with a tap, sees the name
of the grid it falls in before sending — the grid the server then files the case under — and
sends; a point outside the district is said to be so before anything is sent. Anyone opens
/reports and finds a dot for each recent report; neither page scrolls sideways at 360 px.
Screenshots go to $WANGGE_SCREENSHOTS (default var/screenshots/)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_dashboard import screenshot
from tests.e2e.test_report import (
    BEIJING,
    DemoPlace,
    cases_with,
    open_report,
    phone_context,
    shell_json,
    unique,
)

pytestmark = pytest.mark.e2e

NARROW = {"width": 360, "height": 740}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"

DEMO_PLACE = """
import json
from wangge.people.models import Building
from wangge.cases.models import Category
b = Building.objects.exclude(address="").order_by("-grid_code", "pk").first()
c = Category.objects.filter(active=True, parent__isnull=False).order_by("kind", "order", "code").first()
print(json.dumps({"grid": b.grid_code, "lon": b.lon, "lat": b.lat, "address": b.address, "category": c.code, "category_name": c.name}))
"""

GRID_AT = """
import json
from wangge.geo.locator import grid_at
from wangge.geo.models import Grid
code = grid_at({lon}, {lat})
print(json.dumps({{"code": code, "name": Grid.objects.get(layer__is_active=True, level=3, code=code).name if code else None}}))
"""

RECENT = """
import json
from wangge.cases.selectors_public import recent_reports
print(json.dumps(len(recent_reports())))
"""


@pytest.fixture(scope="module")
def place(wangge_server) -> DemoPlace:
    return DemoPlace(**shell_json(wangge_server, DEMO_PLACE))


def test_a_a_point_dropped_on_the_map_shows_its_grid_before_it_is_sent(browser, wangge_server, place):
    context = phone_context(browser, wangge_server, f"gw{place.grid}", at={"longitude": place.lon, "latitude": place.lat})
    try:
        page = context.new_page()
        open_report(page, wangge_server)
        the_map = page.locator("#report-map")
        expect(the_map).to_have_attribute("data-drawn", "true")
        expect(the_map.locator("path.grid-outline").first).to_be_attached()

        page.click("#report-locate")  # the map comes to the phone's position ...
        expect(page.locator("#report-position")).to_contain_text(f"经度 {place.lon:.6f}")
        expect(page.locator("#report-grid")).to_have_attribute("data-state", "found")
        expect(page.locator("#report-grid")).to_contain_text(place.grid)

        box = the_map.bounding_box()  # ... and the point is dropped with a tap beside it
        page.touchscreen.tap(box["x"] + box["width"] / 2 + 24, box["y"] + box["height"] / 2 - 18)
        expect(page.locator("#report-position")).to_contain_text("地图选点")
        grid = page.locator("#report-grid")
        expect(grid).to_have_attribute("data-state", "found")
        lon, lat = float(page.input_value("#report-lon")), float(page.input_value("#report-lat"))
        assert (lon, lat) != (place.lon, place.lat)
        expected = shell_json(wangge_server, GRID_AT.format(lon=lon, lat=lat))
        expect(grid).to_have_text(f"所在网格：{expected['name']}（{expected['code']}）")
        expect(the_map.locator("path.report-marker")).to_have_count(1)
        assert page.evaluate(OVERFLOW) <= 0
        screenshot(page, "report-map-phone.png")

        description = unique("路面塌陷，车辆绕行")
        page.select_option("#report-category", place.category)
        page.fill("#report-description", description)
        page.click("#report-submit")
        expect(page.locator(".outbox-item", has_text=description)).to_have_attribute("data-state", "sent")
        [case] = cases_with(wangge_server, description)
        filed = shell_json(wangge_server, f"""
import json
from wangge.cases.models import Case
c = Case.objects.get(pk={case['id']})
print(json.dumps([c.grid_code, c.lon, c.lat]))
""")
        assert filed == [expected["code"], lon, lat]
        expect(page.locator("#report-grid")).to_be_empty()  # the form is ready for the next one
        expect(the_map.locator("path.report-marker")).to_have_count(0)
    finally:
        context.close()


def test_b_a_point_outside_the_district_is_said_so_before_sending(browser, wangge_server, place):
    context = phone_context(browser, wangge_server, f"gw{place.grid}", at=BEIJING)
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/api/cases" in r.url else None)
        open_report(page, wangge_server)
        page.click("#report-locate")
        grid = page.locator("#report-grid")
        expect(grid).to_have_attribute("data-state", "refused")
        expect(grid).to_contain_text("不在本区任何网格内")
        assert [u for u in asked if u.endswith("/api/cases")] == []  # nothing was sent
    finally:
        context.close()


def test_c_the_report_form_does_not_scroll_sideways_at_360_px(browser, wangge_server, place):
    context = phone_context(browser, wangge_server, f"gw{place.grid}", at=None, viewport=NARROW)
    try:
        page = context.new_page()
        open_report(page, wangge_server)
        expect(page.locator("#report-map")).to_have_attribute("data-drawn", "true")
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        context.close()


def test_d_anyone_sees_recent_reports_on_the_public_map_at_360_px(browser, wangge_server):
    context = browser.new_context(locale="zh-CN", viewport=NARROW, is_mobile=True, has_touch=True)
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(wangge_server.url + "/")
        page.click(".portal-nav a[href='/reports']")
        expect(page).to_have_url(wangge_server.url + "/reports")
        the_map = page.locator("#reports-map")
        expect(the_map).to_have_attribute("data-drawn", "true")
        recent = shell_json(wangge_server, RECENT)
        assert recent > 0  # the demo's year of cases runs up to today
        expect(the_map).to_have_attribute("data-markers", str(recent))
        expect(the_map.locator("path.report-dot")).to_have_count(recent)
        expect(the_map.locator("path.grid-outline").first).to_be_attached()
        expect(page.locator(".reports-table tbody tr")).to_have_count(recent)
        assert page.evaluate(OVERFLOW) <= 0

        page.locator("path.report-dot").last.dispatch_event("click")
        expect(page.locator(".leaflet-popup-content")).to_contain_text("上报于")
        screenshot(page, "portal-reports-map.png")
    finally:
        context.close()
