"""Reporting from a phone with poor signal, in a real browser against a real gunicorn.

A report is written while the phone is offline, kept in the browser, and arrives once when the
network comes back; a response lost on the way does not make a second case; a resident reports
by address and finds the case in their list; a refused report says why in Chinese and is not
sent again by itself. What the server holds is read with `wangge shell` on its own database.
"""

import json
import re
import secrets
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.e2e.conftest import _wangge, sign_in_as

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SCREENSHOT = "/tmp/report.png"
BEIJING = {"longitude": 116.3912, "latitude": 39.9067}  # far outside Guancheng district

DEMO_PLACE = """
import json
from wangge.people.models import Building
from wangge.cases.models import Category
b = Building.objects.exclude(address="").order_by("grid_code", "pk").first()
c = Category.objects.filter(active=True, parent__isnull=False).order_by("kind", "order", "code").first()
print(json.dumps({"grid": b.grid_code, "lon": b.lon, "lat": b.lat, "address": b.address, "category": c.code, "category_name": c.name}))
"""

CASES_WITH = """
import json
from wangge.cases.models import Case
print(json.dumps([
    {{"id": c.id, "number": c.number, "client_id": c.client_id, "reporter": c.reporter.username, "photos": [p.client_id for p in c.photos.all()]}}
    for c in Case.objects.filter(description={description!r}).order_by("pk")
]))
"""

# Not wait_for_function: it evaluates a string, which the pages' CSP forbids.
CONTROLLED = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise(done => navigator.serviceWorker.addEventListener("controllerchange", done, { once: true }));
  }
  return navigator.serviceWorker.controller !== null;
}"""

NEW_RESIDENT = """
from wangge.accounts.models import Role, User
User.objects.create(username={username!r}, full_name="居民测试", role=Role.RESIDENT, password="!")
"""


@dataclass(frozen=True)
class DemoPlace:
    grid: str
    lon: float
    lat: float
    address: str
    category: str
    category_name: str


@pytest.fixture(scope="module")
def place(wangge_server) -> DemoPlace:
    return DemoPlace(**shell_json(wangge_server, DEMO_PLACE))


def shell_json(server, code: str):
    """What `code` prints last, as JSON (the shell may print its own lines before it)."""
    return json.loads(_wangge(server.env, "shell", "-c", code).strip().splitlines()[-1])


def cases_with(server, description: str) -> list[dict]:
    return shell_json(server, CASES_WITH.format(description=description))


def unique(text: str) -> str:
    return f"{text}（{secrets.token_hex(4)}）"


def phone_context(browser, server, username: str, *, at: dict | None, service_workers: str = "allow", viewport: dict = PHONE) -> BrowserContext:
    options = {"locale": "zh-CN", "viewport": viewport, "is_mobile": True, "has_touch": True, "service_workers": service_workers}
    if at is not None:
        options |= {"geolocation": at, "permissions": ["geolocation"]}
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    sign_in_as(context, server, username)
    return context


@pytest.fixture
def grid_worker(browser, wangge_server, place):
    context = phone_context(browser, wangge_server, f"gw{place.grid}", at={"longitude": place.lon, "latitude": place.lat})
    yield context
    context.close()


def open_report(page: Page, server) -> None:
    page.goto(server.url + "/report")
    expect(page.locator("#report-page")).to_have_attribute("data-ready", "true")


def write_report(page: Page, place: DemoPlace, description: str, *, locate: bool = True, address: str = "") -> None:
    page.select_option("#report-category", place.category)
    page.fill("#report-description", description)
    expect(page.locator("#report-counter")).to_have_text(f"{len(description)} / 4000")
    if locate:
        page.click("#report-locate")
        expect(page.locator("#report-position")).to_contain_text("经度")
    if address:
        page.fill("#report-address", address)
    page.click("#report-submit")


def outbox_item(page: Page, description: str):
    return page.locator(".outbox-item", has_text=description)


def test_a_report_written_offline_is_kept_and_arrives_once_when_back_online(grid_worker, wangge_server, place):
    page = grid_worker.new_page()
    open_report(page, wangge_server)
    # The service worker has kept the page, so that it opens again with no signal.
    assert page.evaluate(CONTROLLED)
    description = unique("人行道井盖缺失，行人易跌落")

    grid_worker.set_offline(True)
    expect(page.locator("#net-state")).to_contain_text("没有网络")
    write_report(page, place, description)
    item = outbox_item(page, description)
    expect(item).to_have_attribute("data-state", "queued")
    expect(item.locator(".outbox-state")).to_have_text("待发送")
    client_id = item.get_attribute("data-client-id")
    assert UUID.match(client_id), client_id
    expect(item.locator(".outbox-id")).to_have_text(f"编号 {client_id}")
    expect(page.locator("#report-description")).to_have_value("")  # the form is ready for the next one
    assert cases_with(wangge_server, description) == []

    page.reload()  # still offline: the page comes from the service worker, the report from IndexedDB
    expect(page.locator("#report-title")).to_have_text("上报事件")
    expect(page.locator("#report-map")).to_have_attribute("data-drawn", "true")  # and the map's outlines
    item = outbox_item(page, description)
    expect(item).to_have_attribute("data-client-id", client_id)
    expect(item).to_have_attribute("data-state", "queued")
    assert cases_with(wangge_server, description) == []

    grid_worker.set_offline(False)
    expect(item).to_have_attribute("data-state", "sent")
    expect(item.locator(".outbox-state")).to_have_text("已上报")
    [case] = cases_with(wangge_server, description)
    assert case["client_id"] == client_id and case["reporter"] == f"gw{place.grid}"
    expect(item.locator(".outbox-number")).to_have_text(f"受理编号 {case['number']}")
    expect(item.locator(".outbox-number a")).to_have_attribute("href", f"/cases/{case['id']}")

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.reload()  # a later visit sends nothing again
    expect(outbox_item(page, description)).to_have_attribute("data-state", "sent")
    assert len(cases_with(wangge_server, description)) == 1


def test_b_a_report_whose_answer_was_lost_makes_one_case(browser, wangge_server, place):
    # The service worker is blocked here so that page.route sees the page's own requests.
    context = phone_context(browser, wangge_server, f"gw{place.grid}", at={"longitude": place.lon, "latitude": place.lat}, service_workers="block")
    try:
        page = context.new_page()
        sent: list[dict] = []

        def lose_the_first_answer(route: Route) -> None:
            request = route.request
            if request.method != "POST":
                route.continue_()
                return
            sent.append({"key": request.headers.get("idempotency-key"), "body": request.post_data_json})
            if len(sent) == 1:
                answer = route.fetch()  # the server makes the case ...
                assert answer.status == 201, answer.text()
                route.abort("connectionreset")  # ... and the phone never hears of it
            else:
                route.continue_()

        page.route("**/api/cases", lose_the_first_answer)
        open_report(page, wangge_server)
        description = unique("路灯不亮，夜间行人看不清路")
        write_report(page, place, description)
        item = outbox_item(page, description)
        expect(item).to_have_attribute("data-state", "sent", timeout=30_000)

        assert len(sent) == 2, sent
        client_id = item.get_attribute("data-client-id")
        assert sent[0] == sent[1] and sent[0]["key"] == client_id and sent[0]["body"]["client_id"] == client_id
        [case] = cases_with(wangge_server, description)
        expect(item.locator(".outbox-number")).to_have_text(f"受理编号 {case['number']}")
    finally:
        context.close()


def test_c_a_resident_reports_by_address_and_finds_it_in_my_reports(browser, wangge_server, place):
    username = f"resident-{secrets.token_hex(4)}"
    _wangge(wangge_server.env, "shell", "-c", NEW_RESIDENT.format(username=username))
    context = phone_context(browser, wangge_server, username, at=None)
    try:
        page = context.new_page()
        open_report(page, wangge_server)
        description = unique("楼道堆放杂物，堵塞消防通道")
        write_report(page, place, description, locate=False, address=place.address)
        item = outbox_item(page, description)
        expect(item).to_have_attribute("data-state", "sent")
        [case] = cases_with(wangge_server, description)
        assert case["reporter"] == username

        page.locator("a:visible", has_text="我的上报").first.click()  # the page's own link; the shell's is folded in its drawer on a phone
        expect(page).to_have_url(wangge_server.url + "/my-reports")
        row = page.locator(f".my-reports li[data-number='{case['number']}']")
        expect(row).to_contain_text(place.category_name)
        expect(row.locator(".status")).to_have_text("已上报")
        expect(row.locator("a")).to_have_attribute("href", f"/cases/{case['id']}")
        expect(page.locator(".my-reports li[data-number]").first).to_have_attribute("data-number", case["number"])  # newest first
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        context.close()


def test_d_a_refused_report_says_why_and_is_not_sent_again(browser, wangge_server, place):
    context = phone_context(browser, wangge_server, f"gw{place.grid}", at=BEIJING)
    try:
        page = context.new_page()
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith("/api/cases") else None)
        open_report(page, wangge_server)
        description = unique("占道经营")
        write_report(page, place, description)
        item = outbox_item(page, description)
        expect(item).to_have_attribute("data-state", "error")
        expect(item.locator(".outbox-state")).to_have_text("出错")
        expect(item.locator(".outbox-error")).to_contain_text("不在本区")
        assert len(posts) == 1

        # Neither the network coming back, nor a reload, nor time sends it again.
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.reload()
        expect(page.locator("#report-page")).to_have_attribute("data-ready", "true")
        expect(outbox_item(page, description)).to_have_attribute("data-state", "error")
        time.sleep(3)
        assert len(posts) == 1 and cases_with(wangge_server, description) == []

        # The user may correct it (the form gets it back) or discard it.
        outbox_item(page, description).locator("button.edit").click()
        expect(page.locator("#report-description")).to_have_value(description)
        expect(page.locator("#report-error")).to_contain_text("不在本区")
        page.on("dialog", lambda dialog: dialog.accept())
        outbox_item(page, description).locator("button.discard").click()
        expect(outbox_item(page, description)).to_have_count(0)
        expect(page.locator("#report-description")).to_have_value("")
    finally:
        context.close()


def test_e_photos_follow_the_report_each_once(grid_worker, wangge_server, place):
    page = grid_worker.new_page()
    open_report(page, wangge_server)
    description = unique("垃圾桶破损")
    page.set_input_files("#report-photos", [
        {"name": f"photo{i}.png", "mimeType": "image/png", "buffer": _png(i)} for i in range(2)
    ])
    expect(page.locator("#report-photo-list li")).to_have_count(2)
    write_report(page, place, description)
    item = outbox_item(page, description)
    expect(item).to_have_attribute("data-state", "sent")
    expect(item.locator(".outbox-photos")).to_have_count(0)
    expect(item.locator(".outbox-photo-error")).to_have_count(0)
    [case] = cases_with(wangge_server, description)
    kept = page.evaluate(
        """id => new Promise(done => { const open = indexedDB.open("wangge-report");
             open.onsuccess = () => { const get = open.result.transaction("reports").objectStore("reports").get(id);
               get.onsuccess = () => done(get.result.photos.map(p => ({id: p.client_id, sent: p.sent, blob: p.blob !== null}))); }; })""",
        item.get_attribute("data-client-id"),
    )
    assert sorted(case["photos"]) == sorted(p["id"] for p in kept) and len(kept) == 2
    assert all(p["sent"] and not p["blob"] for p in kept), kept


def _png(seed: int) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 48), (seed * 90 % 256, 120, 200)).save(out, "PNG")
    return out.getvalue()
