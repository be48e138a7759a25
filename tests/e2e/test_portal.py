"""The public portal in a real browser against a real gunicorn: a resident reads an article on
a phone, switches the font size, and the view count rises once; a resident reports a problem
and follows it on the portal with its receipt number and follow code. Screenshots of the main
pages go to $WANGGE_SCREENSHOTS (default var/screenshots/)."""

import json
import os
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _wangge, sign_in_as

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A phone's own browser: Playwright's headless Chromium says "HeadlessChrome", which the
# platform rightly takes for a crawler and does not count.
PHONE_BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
DESKTOP_BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"

PUBLISH = """
import json
from datetime import timedelta
from django.utils import timezone
from wangge.accounts.models import User
from wangge.portal.objections import objection_answer, objection_submit
from wangge.portal.publishing import article_save, disclosure_save, publication_approve, publication_submit
tag = {tag!r}
writer = User.objects.create(username="portal-writer-" + tag, full_name="撰稿人", is_superuser=True)
approver = User.objects.create(username="portal-approver-" + tag, full_name="审核人", is_superuser=True)
def publish(item):
    publication_submit(item=item, actor=writer)
    return publication_approve(item=item, actor=approver)
body = "".join("<p>" + text + "</p>" for text in [
    "近日，管城回族区各街道组织网格员开展入户走访，了解居民在养老、托育、环境卫生等方面的诉求。",
    "走访中，网格员当场解决楼道照明、垃圾清运等问题十余件，其余问题录入平台派遣相关部门办理。",
    "下一步，全区将持续推进党建引领网格化基层治理，做到小事不出网格、大事不出社区。"])
article = publish(article_save(actor=writer, section="work", title="网格员入户走访 听民声解民忧",
    summary="网格员入户走访", body=body, source="管城区融媒体中心", author="李明"))
start = timezone.now()  # the newest on the home page: the demo published its notices before
disclosure = publish(disclosure_save(actor=writer, kind="project", title="东大街社区加装电梯项目公示",
    body="<p>拟在东大街社区 3 号院加装电梯 2 部，资金来源为社区服务项目经费，公示期内欢迎提出意见。</p>",
    shown_from=start, shown_until=start + timedelta(days=7)))
objection = objection_submit(disclosure=disclosure, text="电梯井位置会挡住一楼采光", name="张三")
objection_answer(objection=objection, actor=approver, answer="已调整电梯井位置，避开一楼窗户。")
print(json.dumps({{"article": article.pk, "disclosure": disclosure.pk}}))
"""

VIEWS = """
from wangge.portal.models import Article
print(Article.objects.get(pk={pk}).views)
"""

NEW_RESIDENT = """
from wangge.accounts.models import Role, User
User.objects.create(username={username!r}, full_name="居民测试", role=Role.RESIDENT, password="!")
"""

DEMO_PLACE = """
import json
from wangge.people.models import Building
from wangge.cases.models import Category
b = Building.objects.exclude(address="").order_by("grid_code", "pk").first()
c = Category.objects.filter(active=True, parent__isnull=False).order_by("kind", "order", "code").first()
print(json.dumps({"address": b.address, "category": c.code, "category_name": c.name}))
"""


def _shell_json(server, code: str):
    return json.loads(_wangge(server.env, "shell", "-c", code).strip().splitlines()[-1])


def _screenshot(page, name: str) -> None:
    folder = Path(os.environ.get("WANGGE_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


@pytest.fixture(scope="module")
def content(wangge_server) -> dict:
    return _shell_json(wangge_server, PUBLISH.format(tag=secrets.token_hex(3)))


def _csp_refusals(page) -> list[str]:
    """What the Content-Security-Policy refused on the page (an inline script or style, another host)."""
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None)
    return refused


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_resident_reads_an_article_on_a_phone_and_it_counts_once(browser, wangge_server, content):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, user_agent=PHONE_BROWSER)
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        refused = _csp_refusals(page)
        beacons = []
        page.on("request", lambda r: beacons.append(r.url) if r.method == "POST" and r.url.endswith("/view") else None)
        page.goto(f"{wangge_server.url}/news/{content['article']}")
        expect(page.locator(".portal-breadcrumb")).to_have_text("当前位置：首页 > 新闻中心 > 工作动态 > 正文")
        expect(page.locator("#view-count")).to_have_text("1")
        expect(page.locator(".article-meta")).to_contain_text("来源：管城区融媒体中心")
        expect(page.locator(".portal-qr")).to_be_visible()

        text = page.locator("#article-text")
        medium = text.locator(".article-body p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
        page.get_by_role("button", name="大", exact=True).click()
        expect(text).to_have_class("portal-text font-large")
        expect(page.get_by_role("button", name="大", exact=True)).to_have_attribute("aria-pressed", "true")
        large = text.locator(".article-body p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
        assert large > medium
        _no_horizontal_scroll(page)
        _screenshot(page, "portal-article-phone.png")

        # Read again: the size is remembered, and the same reader on the same day counts once.
        page.reload()
        expect(text).to_have_class("portal-text font-large")
        expect(page.locator("#view-count")).to_have_text("1")
        assert len(beacons) == 2
        assert _wangge(wangge_server.env, "shell", "-c", VIEWS.format(pk=content["article"])).strip().splitlines()[-1] == "1"

        # Print layout: no navigation or tools, the page's address shown.
        page.emulate_media(media="print")
        expect(page.locator(".portal-nav")).to_be_hidden()
        expect(page.locator(".portal-tools")).to_be_hidden()
        expect(page.locator(".print-only")).to_contain_text(f"/news/{content['article']}")
        assert refused == []
    finally:
        context.close()


def test_the_main_pages_render_on_a_desktop(browser, wangge_server, content):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, user_agent=DESKTOP_BROWSER)
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        refused = _csp_refusals(page)
        page.goto(wangge_server.url + "/")
        expect(page.locator(f"a[href='/news/{content['article']}']")).to_be_visible()
        expect(page.locator(f"a[href='/disclosures/{content['disclosure']}']")).to_be_visible()
        expect(page.locator(".portal-figures li")).to_have_count(5)
        _screenshot(page, "portal-home.png")

        page.goto(f"{wangge_server.url}/disclosures/{content['disclosure']}")
        expect(page.locator(".objections")).to_contain_text("已调整电梯井位置")
        expect(page.locator(".objections")).to_contain_text("张*")
        expect(page.locator("#objection-text")).to_be_visible()
        _screenshot(page, "portal-disclosure.png")

        page.goto(wangge_server.url + "/search?q=入户走访")
        expect(page.locator(".search-hits mark").first).to_have_text("入户走访")
        assert refused == []
    finally:
        context.close()


def test_a_resident_reports_a_problem_and_follows_it_by_receipt_number(browser, wangge_server):
    place = _shell_json(wangge_server, DEMO_PLACE)
    username = f"resident-{secrets.token_hex(4)}"
    _wangge(wangge_server.env, "shell", "-c", NEW_RESIDENT.format(username=username))
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, user_agent=PHONE_BROWSER)
    context.set_default_timeout(20_000)
    try:
        sign_in_as(context, wangge_server, username)
        page = context.new_page()
        page.goto(wangge_server.url + "/services")
        page.click("text=我要上报")
        expect(page.locator("#report-page")).to_have_attribute("data-ready", "true")
        description = f"小区门口路灯不亮（{secrets.token_hex(3)}）"
        page.select_option("#report-category", place["category"])
        page.fill("#report-description", description)
        page.fill("#report-address", place["address"])
        page.click("#report-submit")
        item = page.locator(".outbox-item", has_text=description)
        expect(item).to_have_attribute("data-state", "sent")
        number = item.locator(".outbox-number a").inner_text()
        code = item.locator(".outbox-follow-code").inner_text().removeprefix("查询码 ")[:6]
        assert number.startswith("SJ") and len(code) == 6

        # The same code on the reporter's own list.
        page.goto(wangge_server.url + "/my-reports")
        expect(page.locator(f".my-reports li[data-number='{number}'] .follow-code")).to_have_text(f"查询码 {code}")

        # Anyone holding the receipt follows it, signed in or not.
        stranger = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, user_agent=PHONE_BROWSER)
        try:
            follow = stranger.new_page()
            follow.goto(wangge_server.url + "/follow")
            follow.fill("#follow-number", number)
            follow.fill("#follow-code", "2" * 6 if code != "2" * 6 else "3" * 6)
            follow.click("#follow-submit")
            expect(follow.locator("#follow-error")).to_contain_text("受理编号或查询码不正确")
            follow.fill("#follow-code", code.lower())
            follow.click("#follow-submit")
            result = follow.locator("#follow-result")
            expect(result).to_contain_text(number)
            expect(result.locator(".follow-status")).to_have_text("已上报")
            expect(result).to_contain_text(place["category_name"])
            expect(result).not_to_contain_text(description)
            expect(result).not_to_contain_text(place["address"])
            _no_horizontal_scroll(follow)
            _screenshot(follow, "portal-follow.png")
        finally:
            stranger.close()
    finally:
        context.close()
