"""The portal's facility map in a real browser at 360 px: anyone opens it from the services
page, the phone's position is taken, "离我最近" lists the nearest facilities of the chosen kind
with their distances (the server's order), and the page does not scroll sideways."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_dashboard import screenshot
from tests.e2e.test_report import shell_json

pytestmark = pytest.mark.e2e

NARROW = {"width": 360, "height": 740}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"

# Three micro-parks at buildings of three communities, made as an official would through the
# service; the answer is what the server's own search ranks from the first building's point.
FACILITIES = """
import json
from wangge.matching.facilities.selectors import nearest
from wangge.matching.facilities.services import facility_save
from wangge.matching.models import Facility, FacilityKind
from wangge.people.models import Building
seen, made = set(), []
for b in Building.objects.exclude(address="").order_by("grid_code", "pk"):
    if b.grid_code[:12] in seen:
        continue
    seen.add(b.grid_code[:12])
    name = f"浏览器测试微游园{len(seen)}"
    made.append(Facility.objects.filter(name=name).first() or facility_save(
        actor=None, kind_code="children_park", name=name, community_code=b.grid_code[:12], lon=b.lon, lat=b.lat, address=b.address, hours="7:00-21:00"))
    if len(made) == 3:
        break
home = made[0]
ranked = [n.facility.name for n in nearest(FacilityKind.objects.get(code="children_park"), home.lon, home.lat, 5)]
print(json.dumps({"lon": home.lon, "lat": home.lat, "ranked": ranked}))
"""


def test_anyone_finds_the_nearest_facilities_on_a_phone(browser, wangge_server):
    made = shell_json(wangge_server, FACILITIES)
    context = browser.new_context(
        locale="zh-CN", viewport=NARROW, is_mobile=True, has_touch=True,
        geolocation={"longitude": made["lon"], "latitude": made["lat"]}, permissions=["geolocation"],
    )
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(wangge_server.url + "/services")
        page.click("a[href='/services/facilities']")
        expect(page).to_have_url(wangge_server.url + "/services/facilities")
        the_map = page.locator("#facilities-map")
        expect(the_map).to_have_attribute("data-drawn", "true")
        expect(the_map.locator("path.facility-dot").first).to_be_attached()
        page.select_option("#nearest-kind", "children_park")
        page.click("#nearest-locate")
        listed = page.locator("#nearest-list li")
        expect(listed.first).to_contain_text(made["ranked"][0])
        expect(listed.first).to_contain_text("0 米")
        assert [item.locator("strong").inner_text() for item in listed.all()] == made["ranked"]
        expect(page.locator("#nearest-lon")).to_have_value(f"{made['lon']:.6f}")
        assert page.evaluate(OVERFLOW) <= 0
        screenshot(page, "facility-map-phone.png")

        page.fill("#nearest-lon", "不是数字")
        page.click("#nearest-submit")
        expect(page.locator("#nearest-error")).to_contain_text("请填写有效的经纬度")
    finally:
        context.close()
