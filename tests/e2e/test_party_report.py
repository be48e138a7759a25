"""The party report in a real browser: every organisation of the demo district, a page at a
time, reached page by page through the pager, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in
from tests.e2e.test_headers import Violations

pytestmark = pytest.mark.e2e


def test_the_party_report_pages_through_every_organisation(page: Page, wangge_server):
    violations = Violations(page)
    log_in(page, wangge_server)
    page.goto(wangge_server.url + "/people/party")
    heading = page.locator("#organisations-title")
    total = int(re.search(r"共 (\d+) 个", heading.inner_text()).group(1))
    rows = page.locator("#organisations tr.organisation")
    expect(rows).to_have_count(50)
    seen = set(rows.evaluate_all("rows => rows.map(r => r.id)"))
    number = 1
    while page.get_by_role("link", name="下一页").count():
        page.get_by_role("link", name="下一页").click()
        number += 1
        expect(page).to_have_url(re.compile(rf"[?&]page={number}\b"))  # the next page, not the one still shown
        page.wait_for_load_state()
        seen |= set(rows.evaluate_all("rows => rows.map(r => r.id)"))
    assert len(seen) == total > 50
    violations.assert_none("/people/party")

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(wangge_server.url + "/people/party?page=2")
    expect(rows).to_have_count(50)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
