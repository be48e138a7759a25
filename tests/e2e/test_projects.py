"""Service projects end to end in a real browser against a real gunicorn: a resident votes in an
open round on the portal and cannot vote twice (the page says so, the server refuses a second
ballot); an anonymous visitor lodges an objection during a project's notice, the subdistrict
cannot file it (the refusal shows), the community answers the objection in the back office and,
once the notice period is over, the subdistrict files it. The pages are checked on a 360 px
phone with axe-core too."""

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import _wangge, sign_in_on
from tests.e2e.test_rating_round import _check_phone  # a 360 px phone, axe-core

pytestmark = pytest.mark.e2e

# The world the tests need, made through the services on the served database: a community's
# and its subdistrict's officials, a resident of the community with an account, an open round
# over two proposed projects, and a project in notice.
WORLD = """
import json
from datetime import timedelta
from django.utils import timezone
from wangge.accounts.models import Role, User
from wangge.people.models import Person
from wangge.projects.models import Category
from wangge.projects.services.projects import project_create, project_move
from wangge.projects.services.votes import EntryIn, round_create, round_move
person = Person.objects.filter(household__building__community__isnull=False, user__isnull=True).order_by("pk").first()
community = person.household.building.community
official = User.objects.create(username="e2e-pj-community", full_name="社区干部", role=Role.COMMUNITY_OFFICIAL, scope_code=community.code, password="!")
User.objects.create(username="e2e-pj-subdistrict", full_name="街道干部", role=Role.SUBDISTRICT_OFFICIAL, scope_code=community.parent.code, password="!")
resident = User.objects.create(username="e2e-pj-resident", full_name=person.name, role=Role.RESIDENT, password="!")
Person.objects.filter(pk=person.pk).update(user=resident)
category = Category.objects.get(code="life-services")

def proposed(title):
    made = project_create(actor=official, title=title, category=category, community_code=community.code, scope="为社区居民提供" + title, year=2026)
    return project_move(project=made, actor=official, to="proposed")

now = timezone.now()
entries = [EntryIn(proposed("e2e 楼道照明改造"), 300000), EntryIn(proposed("e2e 儿童托管"), 500000)]
vote_round = round_create(actor=official, community_code=community.code, title="e2e 社区微项目投票", budget_fen=1000000, max_choices=1,
                          opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7), entries=entries)
round_move(vote_round=vote_round, actor=official, to="open")
noticed = project_move(project=proposed("e2e 老年助餐点"), actor=official, to="notice")
print(json.dumps({"round": vote_round.pk, "entries": list(vote_round.entries.order_by("pk").values_list("pk", flat=True)), "project": noticed.pk}))
"""

# The notice period has run: the project's record and its disclosure on the portal end now.
NOTICE_OVER = """
from datetime import timedelta
from django.utils import timezone
from wangge.portal.models import Disclosure
from wangge.projects.models import Project
past = timezone.now() - timedelta(seconds=1)
project = Project.objects.get(pk={project})
Project.objects.filter(pk=project.pk).update(notice_starts_at=past - timedelta(days=7), notice_ends_at=past)
Disclosure.objects.filter(pk=project.notice_id).update(shown_from=past - timedelta(days=7), shown_until=past)
"""


@pytest.fixture(scope="module")
def world(wangge_server) -> dict:
    return json.loads(_wangge(wangge_server.env, "shell", "-c", WORLD).strip().splitlines()[-1])


def _person(browser: Browser, server, username: str) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in_on(page, server, username)
    return page


def test_a_resident_votes_once_in_the_browser(browser: Browser, wangge_server, world):
    server = wangge_server
    page = _person(browser, server, "e2e-pj-resident")
    url = f"{server.url}/services/projects/rounds/{world['round']}"
    page.goto(url)
    _check_phone(page, "the ballot")
    page.get_by_label(re.compile("e2e 楼道照明改造")).check()
    expect(page.locator("#ballot-total")).to_contain_text("已选 1 项，合计 ¥3,000.00")
    page.get_by_label(re.compile("e2e 儿童托管")).check()
    expect(page.locator("#ballot-total")).to_contain_text("最多选择 1 项")
    page.get_by_label(re.compile("e2e 儿童托管")).uncheck()
    page.get_by_role("button", name="提交选票").click()
    expect(page.locator("#ballot-done")).to_contain_text("您已投票")
    expect(page.locator("#ballot")).to_have_count(0)
    # A second ballot sent anyway (a replayed form) is refused by the server, and the page says so.
    csrf = next(c["value"] for c in page.context.cookies(server.url) if c["name"] == "csrftoken")
    again = page.request.post(url, form={"choices": str(world["entries"][1]), "csrfmiddlewaretoken": csrf}, headers={"Referer": url})
    assert again.status == 400 and "每人只能投一票" in again.text()
    page.context.close()


def test_an_objection_blocks_filing_until_answered(browser: Browser, wangge_server, world):
    server = wangge_server
    project = world["project"]
    visitor = browser.new_page(locale="zh-CN", bypass_csp=True)
    visitor.goto(f"{server.url}/services/projects/{project}")
    _check_phone(visitor, "a project in notice")
    visitor.fill("#objection-text", "选址离住户太近，午间噪音扰民")
    visitor.get_by_role("button", name="提交异议").click()
    expect(visitor.locator("#objection-receipt")).to_contain_text("异议已受理")
    visitor.close()

    _wangge(server.env, "shell", "-c", NOTICE_OVER.format(project=project))
    subdistrict = _person(browser, server, "e2e-pj-subdistrict")
    subdistrict.goto(f"{server.url}/projects/{project}")
    subdistrict.locator("#move-filed").get_by_role("button", name="备案").click()
    expect(subdistrict.locator("#move-filed .field-error")).to_contain_text("尚有未答复的异议，不能备案")
    expect(subdistrict.locator("#project-status")).to_contain_text("公示中")

    community = _person(browser, server, "e2e-pj-community")
    community.goto(f"{server.url}/projects/{project}")
    _check_phone(community, "a project's back-office page")
    answer = community.locator("form.answer-form")
    answer.locator("textarea").fill("已将助餐点调整至社区服务中心一楼，避开住户")
    answer.get_by_role("button", name="答复").click()
    expect(community.locator(".objection")).to_contain_text("已将助餐点调整至社区服务中心一楼")
    community.context.close()

    subdistrict.goto(f"{server.url}/projects/{project}")
    subdistrict.locator("#move-filed").get_by_role("button", name="备案").click()
    expect(subdistrict.locator("#project-status")).to_contain_text("已备案")
    expect(subdistrict.locator("#project-steps")).to_contain_text("公示中 → 已备案")
    subdistrict.context.close()
