"""An escalation reaches its recipient's inbox: a dispatched case is left past its deadline on
the server's data, the worker's escalation and outbox jobs run there (with a clock set just
after that deadline, so the demo's own cases are not touched), and the community official signs
in, finds the unread count and the alert through the menu, and opens the case from it."""

import json
import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _wangge, sign_in_as
from tests.e2e.test_headers import Violations

pytestmark = pytest.mark.e2e

CLOCK = "2001-03-05T10:00:00+08:00"  # before any demo case: only this test's case is overdue then

SET_UP = """
import json
from datetime import timedelta
from django.utils.dateparse import parse_datetime
from wangge.accounts.models import Role, User
from wangge.cases.models import Case, Category
from wangge.cases.services import case_report
from wangge.geo.models import Grid
from wangge.people.models import Building
suffix = {suffix!r}
now = parse_datetime({clock!r})
building = Building.objects.order_by("-grid_code", "pk").first()
grid = Grid.objects.select_related("community").get(code=building.grid_code, layer__is_active=True)
official = User.objects.create(username="inbox" + suffix, full_name="社区干部" + suffix, role=Role.COMMUNITY_OFFICIAL, scope_code=grid.community.code, password="!")
worker = User.objects.get(username="gw" + grid.code)
case, _ = case_report(reporter=worker, category=Category.objects.get(code="exposed_garbage"), description="路边暴露垃圾" + suffix,
                      lon=building.lon, lat=building.lat, address=building.address)
Case.objects.filter(pk=case.pk).update(status=Case.Status.ACCEPTED, status_since=now - timedelta(hours=5), deadline_at=now - timedelta(minutes=1))
print(json.dumps({{"case": case.pk, "number": case.number, "official": official.username}}))
"""

RUN_JOBS = """
from django.utils.dateparse import parse_datetime
from wangge.cases.jobs import escalation
from wangge.core.housekeeping import outbox
now = parse_datetime({clock!r})
print(escalation(now), *outbox(now, stopping=lambda: False))
"""


def test_an_escalation_arrives_in_the_recipients_inbox(browser, wangge_server):
    server = wangge_server
    made = json.loads(_wangge(server.env, "shell", "-c", SET_UP.format(suffix=secrets.token_hex(3), clock=CLOCK)).strip().splitlines()[-1])
    steps, sent, failed = map(int, _wangge(server.env, "shell", "-c", RUN_JOBS.format(clock=CLOCK)).split()[-3:])
    assert steps == 1 and sent >= 1 and failed == 0

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    sign_in_as(context, server, made["official"])
    page = context.new_page()
    violations = Violations(page)
    page.goto(f"{server.url}/cases/dispatch")
    page.locator("button#menu-toggle").click()  # on a phone the side menu folds into a drawer
    page.locator("#shell-menu a", has_text=re.compile("^消息$")).click()
    expect(page).to_have_url(f"{server.url}/inbox")

    expect(page.locator("#inbox-unread")).to_have_text("1")
    notice = page.locator(".notice.is-unread")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(made["number"])
    expect(notice).to_contain_text("超时督办")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone

    notice.get_by_role("button", name="查看").click()
    expect(page).to_have_url(f"{server.url}/cases/{made['case']}")
    page.goto(f"{server.url}/inbox")
    expect(page.locator("#inbox-unread")).to_have_text("0")
    expect(page.locator(".notice.is-unread")).to_have_count(0)
    violations.assert_none("/inbox")
    context.close()
