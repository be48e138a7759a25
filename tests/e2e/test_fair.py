"""A supply-demand fair (社洽会) end to end in a real browser against a real gunicorn: a
community official opens the fair, publishes the needs, presents, runs the matcher and sees the
proposal with its reason; the resource's provider confirms from its own account and the official
for the resident; the match is signed and turned into a service project, whose page names the
need and the resource. The need and the resource are entered through the services (the pages
list them but do not enter them yet), in materials, a kind the demo's needs never ask for, so
that the matcher's choice is this pair. The fair's page is checked on a 360 px phone too."""

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_no_serious_axe_violation, assert_no_sideways_scroll
from tests.e2e.conftest import _wangge, sign_in_on

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}

WORLD = """
import json
from wangge.accounts.models import Role, User
from wangge.geo.models import Grid
from wangge.matching.resources import resource_create
from wangge.matching.services import need_gather
from wangge.people.models import Building
building = Building.objects.order_by("grid_code", "pk").first()
grid = Grid.objects.get(code=building.grid_code)
community = grid.community
User.objects.create(username="e2e-fair-official", full_name="社区干部（社洽会）", role=Role.COMMUNITY_OFFICIAL, scope_code=community.code, password="!")
seller = User.objects.create(username="e2e-fair-provider", full_name="区图书馆", role=Role.RESOURCE_PROVIDER, password="!")
resource = resource_create(actor=seller, values={
    "name": "图书捐赠（浏览器测试）", "kind": "materials", "serves": [], "provider_kind": "unit", "provider_name": "区图书馆", "capacity": 5,
    "weekdays": [1, 2, 3, 4, 5, 6, 7], "opens_at": 8, "closes_at": 18, "lon": building.lon, "lat": building.lat})
need = need_gather(actor=None, values={
    "category": "儿童关爱", "kind": "materials", "beneficiary": "children", "quantity": 2, "urgency": 5, "description": "四点半课堂需要儿童读物（浏览器测试）",
    "lon": building.lon, "lat": building.lat, "name": "李四", "phone": "13800138001"})
print(json.dumps({"community": community.code, "community_name": community.name, "need": need.number, "resource": resource.name}))
"""


def _person(browser: Browser, server, username: str) -> Page:
    # axe-core is put into the page by the test as an inline script, which the page's own
    # Content-Security-Policy rightly refuses; the test's browser alone sets it aside.
    page = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
    page.context.set_default_timeout(15_000)
    sign_in_on(page, server, username)
    return page


def _click(page: Page, label: str, *, within=None) -> None:
    (within or page).get_by_role("button", name=label).click()
    expect(page.locator(".notices")).to_contain_text("已保存")


def test_a_fair_runs_from_its_needs_to_a_service_project(browser: Browser, wangge_server):
    server = wangge_server
    world = json.loads(_wangge(server.env, "shell", "-c", WORLD).strip().splitlines()[-1])

    official = _person(browser, server, "e2e-fair-official")
    official.goto(server.url + "/matching/fairs")
    official.fill("#fair-form [name=title]", "浏览器测试社洽会")
    official.select_option("#fair-form [name=division_code]", value=world["community"])
    official.fill("#fair-form [name=held_on]", "2026-12-20")
    official.fill("#fair-form [name=max_distance_m]", "3000")
    official.get_by_role("button", name="创建社洽会").click()
    expect(official.locator("h1")).to_have_text("浏览器测试社洽会")
    fair_url = official.url
    for label in ("发布需求", "开始路演", "开始匹配"):
        _click(official, label)
    expect(official.locator("#fair-status")).to_have_text("供需匹配")
    official.get_by_role("button", name="生成匹配方案").click()
    expect(official.locator(".notices")).to_contain_text("已生成")
    row = official.locator("#fair-matches tbody tr", has_text=world["need"])
    expect(row).to_contain_text(world["resource"])
    expect(row.locator(".explanation")).not_to_be_empty()
    size = official.viewport_size or {"width": 1280, "height": 900}
    official.set_viewport_size(PHONE)
    assert_no_sideways_scroll(official, "/matching/fairs/<id> at 360 px")
    assert_no_serious_axe_violation(official, "/matching/fairs/<id> at 360 px")
    official.set_viewport_size(size)

    provider = _person(browser, server, "e2e-fair-provider")
    provider.goto(fair_url)
    provider_row = provider.locator("#fair-matches tbody tr", has_text=world["need"])
    expect(provider_row.get_by_role("button", name="需求方确认")).to_have_count(1)
    _click(provider, "资源方确认", within=provider_row)
    expect(provider.locator("#fair-matches tbody tr", has_text=world["need"])).to_contain_text("资源方已确认")
    provider.context.close()

    official.reload()
    _click(official, "需求方确认", within=official.locator("#fair-matches tbody tr", has_text=world["need"]))
    expect(row).to_contain_text("双方达成意向")
    _click(official, "开始签约")
    _click(official, "签约", within=official.locator("#fair-matches tbody tr", has_text=world["need"]))
    expect(row).to_contain_text("已签约")
    official.locator("#fair-matches tbody tr", has_text=world["need"]).get_by_role("button", name="转为服务项目").click()
    expect(official.locator(".notices")).to_contain_text("已转为服务项目")
    assert "/projects/from/" in official.url
    expect(official.locator("#project-needs")).to_contain_text(world["need"])
    expect(official.locator("#project-needs")).to_contain_text("四点半课堂需要儿童读物")
    expect(official.locator("#project-links")).to_contain_text(world["resource"])
    expect(official.locator("#project")).to_contain_text("草拟")
    number = official.locator("#project-number").inner_text()
    official.goto(fair_url)
    expect(official.locator("#fair-matches tbody tr", has_text=world["need"])).to_contain_text(number)
    official.context.close()
