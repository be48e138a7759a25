"""A star-rating round end to end in a real browser against a real gunicorn: the district
official sets a scheme and opens the round, a resident answers the survey on the portal and the
grid worker enters a neighbour's answer on a visit, the official scores the compound, reviews it
and puts it in publicity, the company objects to its result, the official answers and publishes,
and the portal shows the ranking with the inputs beside the score and the company's history.
The public pages and the company's page are checked on a 360 px phone with axe-core too."""

import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_no_serious_axe_violation, assert_no_sideways_scroll
from tests.e2e.conftest import _wangge, sign_in_on

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}

# What an administrator keeps in the property registry before a round: a compound holding two
# registry buildings of a grid, its company with an account, a resident whose registry
# household lives there, and a district official to run the round. The round's year is one no
# other round has taken.
WORLD = """
import json
from datetime import date
from django.db.models import Max
from wangge.accounts.models import Role, User
from wangge.core.credit_code import credit_code_compose
from wangge.geo.models import Division
from wangge.people.models import Building, Household
from wangge.property.models import CompanyAccount, CompanyService, Compound, CompoundBuilding, PropertyCompany
from wangge.property.models.rating import RatingRound
buildings = list(Building.objects.filter(dwellings__members__isnull=False, compound_holding__isnull=True).distinct().order_by("grid_code", "pk")[:2])
grid_code = buildings[0].grid_code
buildings = [b for b in buildings if b.grid_code == grid_code]
community = buildings[0].community
compound = Compound.objects.create(name="浏览器测试花园", kind="compound", mode="market", community=community)
for b in buildings:
    CompoundBuilding.objects.create(compound=compound, building=b)
company = PropertyCompany.objects.create(name="浏览器测试物业有限公司", subdistrict=community.parent,
    credit_code=credit_code_compose(authority="9", kind="1", division="410104", organisation_body="MAE2E001"))
CompanyService.objects.create(company=company, compound=compound, started_on=date(2020, 1, 1))
company_user = User.objects.create(username="e2e-company", full_name="浏览器测试物业", role=Role.PROPERTY_COMPANY, password="!")
CompanyAccount.objects.create(user=company_user, company=company)
households = list(Household.objects.filter(building__in=buildings, members__isnull=False).distinct().order_by("pk")[:2])
person = households[0].members.order_by("pk").first()
resident = User.objects.create(username="e2e-resident", full_name=person.name, role=Role.RESIDENT, password="!")
person.user = resident
person.save(update_fields=["user"])
district = Division.objects.get(kind=Division.Kind.DISTRICT)
User.objects.create(username="e2e-rater", full_name="区级评定干部", role=Role.DISTRICT_OFFICIAL, scope_code=district.code, password="!")
latest = RatingRound.objects.aggregate(y=Max("year"))["y"] or 0
print(json.dumps({"year": max(date.today().year, latest + 1), "worker": "gw" + grid_code, "company": company.pk}))
"""


# The compound's inputs as the records gave them when scoring ended.
INPUTS = """
import json
from wangge.property.models.rating import RatingEntry
e = RatingEntry.objects.get(round__year={year}, compound__name="浏览器测试花园")
print(json.dumps({{"cases": e.cases, "on_time": str(e.on_time_rate), "reopen": str(e.reopen_rate), "satisfaction": str(e.case_satisfaction)}}))
"""


def _expected_total(inputs: dict) -> Decimal:
    """The scheme's rule written out: 55 inspection points; the cases section 20 × (0.4 × on-time
    + 0.3 × (1 − reopened) + 0.3 × satisfaction / 5), in full without cases; the survey 20 ×
    (4.5 − 1) / 4 from the two answers (4 and 5)."""
    cases = Decimal(20)
    if inputs["cases"]:
        on_time = Decimal(inputs["on_time"]) if inputs["on_time"] != "None" else Decimal(1)
        satisfaction = Decimal(inputs["satisfaction"]) if inputs["satisfaction"] != "None" else Decimal(3)
        factor = Decimal("0.4") * on_time + Decimal("0.3") * (1 - Decimal(inputs["reopen"])) + Decimal("0.3") * satisfaction / 5
        cases = (20 * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Decimal(55) + cases + Decimal("17.50")


def _check_phone(page: Page, where: str) -> None:
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, where)
    assert_no_serious_axe_violation(page, where)
    page.set_viewport_size(size)


def _context(browser: Browser):
    # axe-core is put into the page by the test as an inline script, which the page's own
    # Content-Security-Policy rightly refuses; the test's browser alone sets it aside.
    return browser.new_context(locale="zh-CN", bypass_csp=True)


def _person(browser: Browser, server, username: str) -> Page:
    page = _context(browser).new_page()
    sign_in_on(page, server, username)
    return page


def _move(page: Page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    expect(page.locator(".notices")).to_contain_text("已保存")


def test_a_rating_round_runs_from_scheme_to_the_portal(browser: Browser, wangge_server):
    server = wangge_server
    world = json.loads(_wangge(server.env, "shell", "-c", WORLD).strip().splitlines()[-1])
    year = world["year"]

    official = _person(browser, server, "e2e-rater")
    official.goto(server.url + "/property/ratings/scheme")
    official.fill("[name=name]", f"浏览器测试百分制{year}")
    official.fill("[name=sections]", "基础管理 60\n事件办理 20 事件\n居民满意度 20 调查")
    official.fill("[name=vetoes]", "弃管 0")
    for stars, least in enumerate((50, 60, 70, 80, 90), 1):
        official.fill(f"[name=stars{stars}]", str(least))
    official.get_by_role("button", name="保存方案").click()
    expect(official).to_have_url(server.url + "/property/ratings")
    official.fill("#open-round [name=year]", str(year))
    official.select_option("#open-round [name=scheme]", label=f"浏览器测试百分制{year}")
    official.get_by_role("button", name="发起评定").click()
    official.get_by_role("link", name=f"{year}年度").click()
    round_url = official.url
    expect(official.locator("h1")).to_contain_text(f"{year}年度物业服务星级评定")

    resident = _person(browser, server, "e2e-resident")
    resident.goto(server.url + "/ratings/survey")
    expect(resident.locator(".portal-card")).to_contain_text("浏览器测试花园")
    expect(resident.locator("#survey-form")).to_be_visible()
    _check_phone(resident, "/ratings/survey")
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_role("button", name="提交").click()
    expect(resident.locator(".notices")).to_contain_text("您家的评价已记录")
    expect(resident.locator(".portal-card")).to_contain_text("每户一票")

    worker = _person(browser, server, world["worker"])
    worker.goto(server.url + "/property/ratings/visits")
    row = worker.locator("#visit-households tr", has_text="浏览器测试花园").first
    row.locator("select").select_option("5")
    row.get_by_role("button", name="录入").click()
    expect(worker.locator(".notices")).to_contain_text("的满意度")

    official.goto(round_url)
    _move(official, "开始评分")
    official.locator("#entries").get_by_role("link", name="浏览器测试花园").click()
    official.fill("#score-form [name=points]", "55")
    official.fill("#score-form [name=note]", "现场检查台账齐全")
    official.get_by_role("button", name="保存得分").click()
    expect(official.locator("#scores")).to_contain_text("区级评定干部")
    official.goto(round_url)
    _move(official, "提交审核")
    row = official.locator("#entries tr", has_text="浏览器测试花园")
    expect(row).to_contain_text("4.50")  # the survey's mean, computed from the two households' answers
    inputs = json.loads(_wangge(server.env, "shell", "-c", INPUTS.format(year=year)).strip().splitlines()[-1])
    expect(row).to_contain_text(f"{inputs['cases']}")
    _move(official, "审核通过并公示")
    total = _expected_total(inputs)
    expect(row).to_contain_text(f"{total}")
    expect(row).to_contain_text("★" * sum(1 for least in (50, 60, 70, 80, 90) if total >= least))

    company = _person(browser, server, "e2e-company")
    company.goto(server.url + "/property/ratings/mine")
    entry = company.locator(".entry", has_text="浏览器测试花园")
    expect(entry).to_contain_text("基础管理：55.00 / 60（评分人 区级评定干部）")
    expect(entry).to_contain_text(f"总分 {total}")
    entry.locator("[name=text]").fill("居民满意度调查户数偏少，请求复核")
    entry.get_by_role("button", name="提出异议").click()
    expect(company.locator(".notices")).to_contain_text("异议已提交")
    _check_phone(company, "/property/ratings/mine")

    official.goto(round_url)
    official.get_by_role("button", name="发布结果").click()
    expect(official.locator("#form-error")).to_contain_text("1 条异议未答复")
    objection = official.locator(".objection", has_text="请求复核")
    objection.locator("[name=answer]").fill("调查按每户一票进行，户数符合规定，维持原结果")
    objection.get_by_role("button", name="提交答复").click()
    expect(official.locator(".objection", has_text="请求复核")).to_contain_text("维持原结果")
    _move(official, "发布结果")
    expect(official.locator("#round-steps li")).to_have_count(5)

    public = _context(browser).new_page()
    public.goto(f"{server.url}/ratings?year={year}")
    ranked = public.locator("#ranking tr", has_text="浏览器测试花园")
    expect(ranked).to_contain_text("浏览器测试物业有限公司")
    expect(ranked).to_contain_text(f"{total}")
    expect(ranked).to_contain_text("4.50")
    expect(public.locator(f".company-history[data-company='{world['company']}']")).to_contain_text(f"{year}年度 浏览器测试花园：{total} 分")
    _check_phone(public, "/ratings")
    public.get_by_role("link", name="查看结果公开").click()
    expect(public.locator("h1")).to_contain_text(f"{year}年度物业服务星级评定结果")
    assert re.search(r"/disclosures/\d+$", public.url)
    expect(public.locator("body")).to_contain_text("浏览器测试花园")
