"""Each role signs in, lands on its work, and opens its work again through the side menu, on a
desktop and on a 390 px phone (where the menu is a drawer behind a button); a missing page is a
Chinese 404 and a refused one a Chinese 403."""

import json
import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _wangge, sign_in_on

pytestmark = pytest.mark.e2e

# Accounts an administrator would set up for each role; the grid worker is the demo's own.
SET_UP = """
import json
from wangge.accounts.models import Role, User
from wangge.cases.models import Department
from wangge.geo.models import Division, Grid
suffix = {suffix!r}
grid = Grid.objects.select_related("community__parent").filter(layer__is_active=True, level=3).order_by("code").first()
district = Division.objects.get(kind=Division.Kind.DISTRICT)
made = {{}}
for viewport in ("desktop", "phone"):  # one account per viewport: a second sign-in would need the device's next code
  for key, role, scope in [("do", Role.DISTRICT_OFFICIAL, district.code), ("so", Role.SUBDISTRICT_OFFICIAL, grid.community.parent.code),
                         ("co", Role.COMMUNITY_OFFICIAL, grid.community.code), ("dh", Role.DEPARTMENT_HANDLER, ""),
                         ("sa", Role.SECURITY_ADMIN, district.code), ("au", Role.AUDITOR, district.code), ("sy", Role.SYSTEM_ADMIN, district.code)]:
    made[f"{{key}}-{{viewport}}"] = User.objects.create(username=f"{{key}}{{viewport[0]}}{{suffix}}", full_name=f"{{key}}{{suffix}}", role=role, scope_code=scope, password="!").username
  Department.objects.create(code=f"dept{{viewport[0]}}{{suffix}}", name=f"城管局{{viewport[0]}}{{suffix}}").handlers.add(User.objects.get(username=made[f"dh-{{viewport}}"]))
made["gw-desktop"] = made["gw-phone"] = made["gw"] = "gw" + grid.code
made["community"] = grid.community.name
print(json.dumps(made))
"""

# role key, where it lands, the menu entry that opens its work, that page's heading
ROLES = [
    ("do", "/dashboard", "数据看板", "区"),  # the dashboard is headed by the district's name
    ("so", "/cases/dispatch", "事件派遣", "派遣队列"),
    ("co", "/cases/dispatch", "事件派遣", "派遣队列"),
    ("gw", "/my-grid", "网格事件", "网格事件"),
    ("dh", "/cases/department", "部门待办", "部门待办"),
    ("sa", "/accounts", "账号管理", "账号管理"),
    ("au", "/audit", "审计记录", "审计记录"),
    ("sy", "/accounts", "账号管理", "账号管理"),
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def accounts(wangge_server) -> dict:
    printed = _wangge(wangge_server.env, "shell", "-c", SET_UP.format(suffix=secrets.token_hex(3)))
    return json.loads(printed.strip().splitlines()[-1])


def _open_menu_entry(page, label: str, phone: bool) -> None:
    menu = page.locator("#shell-menu")
    toggle = page.locator("button#menu-toggle")
    if phone:
        expect(menu).to_be_hidden()  # folded away on a phone
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    else:
        expect(toggle).to_be_hidden()
    expect(menu).to_be_visible()
    menu.get_by_role("link", name=label, exact=True).click()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("role", "landing", "entry", "heading"), ROLES, ids=[r[0] for r in ROLES])
def test_each_role_lands_on_its_work_and_opens_it_from_the_menu(browser, wangge_server, accounts, viewport, role, landing, entry, heading):
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[viewport])
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in_on(page, wangge_server, accounts[f"{role}-{viewport}"])
        expect(page).to_have_url(wangge_server.url + landing)
        expect(page.locator(".who")).to_be_visible()
        if role == "co":
            expect(page.locator(".who-where")).to_contain_text(accounts["community"])  # the node by name
        page.goto(wangge_server.url + "/grids")  # somewhere else, then back to the work by the menu
        _open_menu_entry(page, entry, phone=viewport == "phone")
        expect(page.locator("main h1").first).to_contain_text(heading)
        expect(page.locator('#shell-menu a[aria-current="page"]')).to_have_text(entry)
    finally:
        context.close()


def test_a_missing_page_and_a_refused_one_are_chinese(browser, wangge_server, accounts):
    context = browser.new_context(locale="en-US", viewport=VIEWPORTS["phone"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        answer = page.goto(wangge_server.url + "/no-such-page")
        assert answer.status == 404
        expect(page.locator("#error-title")).to_have_text("页面不存在")
        expect(page.locator(".portal-nav")).to_be_visible()  # the public site's look

        sign_in_on(page, wangge_server, accounts["gw"])
        answer = page.goto(wangge_server.url + "/cases/dispatch")
        assert answer.status == 403
        expect(page.locator("#error-title")).to_have_text("没有访问权限")
        expect(page.locator("#error-reason")).to_contain_text("只有区、街道、社区干部")
        expect(page.locator("button#menu-toggle")).to_be_visible()  # the back office's look
    finally:
        context.close()
