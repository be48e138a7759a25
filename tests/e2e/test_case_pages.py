"""One case walked through the back-office pages in a real browser against a real gunicorn:
the grid worker reports it (the service, on the server), a community official accepts and
dispatches it on the dispatcher's queue, the department's handler handles it on theirs, the
grid worker verifies it on site from their list, the official closes it, and the case page shows
the whole timeline and the case on its map. Each person signs in through the sign-in page
(officials with their second factor)."""

import io
import json
import re
import secrets
from dataclasses import dataclass

import openpyxl
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _wangge, sign_in_as
from tests.e2e.test_headers import Violations

pytestmark = pytest.mark.e2e

SCREENSHOT = "/tmp/case-page.png"
INSTRUCTIONS = "请今日内清运，并拍照回复"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), (30, 160, 60)).save(out, format="PNG")
    return out.getvalue()

# Accounts an administrator would set up, and a report the grid worker makes from the field.
SET_UP = """
import json
from wangge.accounts.models import Role, User
from wangge.cases.models import Category, Department
from wangge.cases.services import case_report
from wangge.geo.models import Grid
from wangge.people.models import Building
suffix = {suffix!r}
building = Building.objects.order_by("grid_code", "pk").first()
grid = Grid.objects.select_related("community").get(code=building.grid_code, layer__is_active=True)
official = User.objects.create(username="co" + suffix, full_name="社区干部" + suffix, role=Role.COMMUNITY_OFFICIAL, scope_code=grid.community.code, password="!")
handler = User.objects.create(username="dh" + suffix, full_name="经办人" + suffix, role=Role.DEPARTMENT_HANDLER, scope_code="", password="!")
department = Department.objects.create(code="dept" + suffix, name="城管局" + suffix)
department.handlers.add(handler)
worker = User.objects.get(username="gw" + grid.code)
case, _ = case_report(reporter=worker, category=Category.objects.get(code="exposed_garbage"), description="路边暴露垃圾" + suffix,
                      lon=building.lon, lat=building.lat, address=building.address)
print(json.dumps({{"grid": grid.code, "case": case.pk, "number": case.number, "official": official.username, "official_name": official.full_name, "handler": handler.username,
                  "worker": worker.username, "department": department.name}}))
"""


@dataclass(frozen=True)
class Walk:
    grid: str
    case: int
    number: str
    official: str
    official_name: str
    handler: str
    worker: str
    department: str


@pytest.fixture
def walk(wangge_server) -> Walk:
    printed = _wangge(wangge_server.env, "shell", "-c", SET_UP.format(suffix=secrets.token_hex(3)))
    return Walk(**json.loads(printed.strip().splitlines()[-1]))


def _page_as(browser, server, username: str) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    sign_in_as(context, server, username)
    return context.new_page()


def _move(page: Page, row, to: str, *, note: str = "", department: str = "", instructions: str = "") -> None:
    form = row.locator(f"form[data-move={to}]")
    if department:
        form.locator("select[name=department]").select_option(label=department)
    if instructions:
        form.locator("textarea[name=instructions]").fill(instructions)
    if note:
        form.locator("input[name=reason]").fill(note)
    form.get_by_role("button").click()
    expect(page.locator(".notices")).to_contain_text("已转为")


def test_one_case_walks_the_closed_loop_through_the_pages(browser, wangge_server, walk: Walk):
    server = wangge_server
    official = _page_as(browser, server, walk.official)
    violations = Violations(official)  # the pages keep the strict CSP: no inline script or style
    handler = _page_as(browser, server, walk.handler)
    worker = _page_as(browser, server, walk.worker)
    row_id = f"#case-{walk.case}"

    official.goto(f"{server.url}/cases/dispatch")
    official.locator("#shell-menu").get_by_role("link", name="事件派遣").click()
    official.locator("select[name=grid]").select_option(walk.grid)
    official.locator("input[name=q]").fill(walk.number[:-2])  # the beginning of the receipt number finds it
    official.get_by_role("button", name="筛选").click()
    row = official.locator(row_id)
    expect(row).to_contain_text("已上报")
    with official.expect_download() as download:  # the toolbar's 导出: the rows as filtered, as .xlsx
        official.get_by_role("link", name="导出", exact=True).click()
    exported = list(openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))["数据"].iter_rows(values_only=True))
    numbers = [line[0] for line in exported[1:]]  # the grid's cases whose number begins so (other reports of the day may too)
    assert exported[0][0] == "受理编号" and walk.number in numbers and all(n.startswith(walk.number[:-2]) for n in numbers)
    assert len(numbers) == official.locator("tr[id^=case-]").count()
    assert download.value.suggested_filename.endswith(".xlsx")
    expect(row.locator("form[data-move]")).to_have_count(2)  # accept or reject, nothing else
    _move(official, row, "accepted")
    expect(official).to_have_url(re.compile(rf"/cases/dispatch\?.*grid={walk.grid}"))  # back to the list, filter kept
    _move(official, official.locator(row_id), "dispatched", department=walk.department, instructions=INSTRUCTIONS)
    expect(official.locator(row_id)).to_have_count(0)  # no longer awaiting the dispatcher

    handler.goto(f"{server.url}/cases/department")
    row = handler.locator(row_id)
    expect(row).to_contain_text("已派遣")
    expect(row.locator(".instructions")).to_contain_text(INSTRUCTIONS)
    _move(handler, row, "handling")
    handler.goto(f"{server.url}/cases/{walk.case}")
    handler.locator("#after-photo-form input[type=file]").set_input_files({"name": "after.png", "mimeType": "image/png", "buffer": _png()})
    handler.get_by_role("button", name="上传处置后照片").click()
    expect(handler.locator(".notices")).to_contain_text("处置后照片")
    expect(handler.locator("#photos-after img")).to_have_count(1)
    handler.goto(f"{server.url}/cases/department")
    _move(handler, handler.locator(row_id), "handled", note="已清运并冲洗路面")
    expect(handler.locator(row_id)).to_have_count(0)

    worker.goto(f"{server.url}/cases/grid")
    row = worker.locator(f"#to-verify {row_id}")
    expect(row).to_contain_text("已处置待核查")
    _move(worker, row, "verified")
    expect(worker.locator(f"#open-cases {row_id}")).to_contain_text("已核查")

    official.goto(f"{server.url}/cases/dispatch?status=verified")
    _move(official, official.locator(row_id), "closed")

    official.goto(f"{server.url}/cases/{walk.case}")
    expect(official.locator("#case-status")).to_have_text("已结案")
    moves = official.locator("#timeline tbody tr")
    expect(moves).to_have_count(7)
    expected = ["已上报", "已上报 → 已立案待派遣", "已立案待派遣 → 已派遣", "已派遣 → 处置中", "处置中 → 已处置待核查", "已处置待核查 → 已核查", "已核查 → 已结案"]
    assert [t.strip() for t in moves.locator("td:nth-child(2)").all_inner_texts()] == expected
    expect(moves.nth(4)).to_contain_text("已清运并冲洗路面")
    expect(moves.nth(2)).to_contain_text(INSTRUCTIONS)
    expect(moves.nth(1)).to_contain_text(walk.official_name)
    expect(official.locator("#case-map[data-drawn=true]")).to_have_count(1)
    expect(official.locator("#case-map path.case-marker")).to_have_count(1)
    expect(official.locator("#case-map path.grid-outline")).to_have_count(1)
    expect(official.locator("#case-actions form[data-move]")).to_have_count(0)  # the reporter reopens, not the official
    violations.assert_none("case page")
    official.screenshot(path=SCREENSHOT, full_page=True)
