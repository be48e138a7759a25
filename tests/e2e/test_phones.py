"""Every main page on a 360 px phone and on a desktop, in a real browser against a real gunicorn:
no page scrolls sideways on the phone, the back office's content starts on the phone's first
screen at 390 px, and axe-core finds no serious or critical accessibility violation at either
width. Each person signs in through the sign-in page: the public, a resident, a grid worker, a
district official, a department's handler, a property company's account, the system
administrator and the auditor."""

import json
import secrets
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.axe import (
    assert_no_crushed_text,
    assert_no_serious_axe_violation,
    assert_no_sideways_scroll,
    axe_violations,
)
from tests.e2e.conftest import _wangge, sign_in_as

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
WIDER_PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

ACCOUNTS = """
import json
from wangge.accounts.models import Role, User
from wangge.cases.models import Case, Department
from wangge.geo.models import Division
from wangge.people.models import Building
from wangge.portal.selectors import article_published_list, disclosure_published_list
tag = {tag!r}
district = Division.objects.get(kind=Division.Kind.DISTRICT)
official = User.objects.create(username="official-" + tag, full_name="区级干部" + tag, role=Role.DISTRICT_OFFICIAL, scope_code=district.code, password="!")
resident = User.objects.create(username="resident-" + tag, full_name="居民" + tag, role=Role.RESIDENT, password="!")
admin = User.objects.create(username="sysadmin-" + tag, full_name="系统管理员" + tag, role=Role.SYSTEM_ADMIN, scope_code=district.code, password="!")
auditor = User.objects.create(username="auditor-" + tag, full_name="审计员" + tag, role=Role.AUDITOR, scope_code=district.code, password="!")
grid_code = Building.objects.order_by("grid_code", "pk").first().grid_code
handler = Department.objects.filter(handlers__isnull=False, kind=Department.Kind.DEPARTMENT).order_by("code").first().handlers.order_by("username").first()
from wangge.property.models import CompanyAccount
company = CompanyAccount.objects.select_related("user", "company").order_by("pk").first()
compound = company.company.services.filter(ended_on__isnull=True).order_by("pk").first().compound_id
from wangge.geo.models import Grid
from wangge.matching.fair.services import fair_create
fair = fair_create(actor=None, title="社洽会" + tag, division_code=Grid.objects.get(code=grid_code).community.code, held_on="2026-12-20").pk
print(json.dumps({{"official": official.username, "resident": resident.username, "worker": "gw" + grid_code,
                  "company_user": company.user.username, "company": company.company_id, "compound": compound,
                  "admin": admin.username, "fair": fair, "auditor": auditor.username,
                  "handler": handler.username, "article": article_published_list().first().pk,
                  "disclosure": disclosure_published_list().first().pk,
                  "case": Case.objects.filter(grid_code=grid_code).order_by("-pk").first().pk}}))
"""


@dataclass(frozen=True)
class Visit:
    who: str  # "public" or a key of the accounts fixture
    path: str  # may name {article}, {disclosure} or {case}

    def __str__(self) -> str:
        return f"{self.who}:{self.path}"


PUBLIC = [Visit("public", p) for p in (
    "/", "/news", "/news/{article}", "/disclosures", "/disclosures/{disclosure}", "/services", "/services/need",
    "/follow", "/search?q=网格", "/reports", "/login", "/services/projects",
)]
RESIDENT = [Visit("resident", p) for p in ("/report", "/my-reports")]
BACK_OFFICE = [Visit("official", p) for p in (
    "/dashboard", "/dashboard/map", "/dashboard/charts", "/dashboard/records?figure=cases_open",
    "/cases/dispatch", "/cases/{case}",
    "/people/staffing", "/people/party", "/people/workbooks",
    "/grids", "/grids/redraw", "/property/map",
    "/portal/articles", "/portal/articles/new", "/portal/disclosures", "/portal/disclosures/new", "/portal/objections", "/portal/needs",
    "/portal/words",
    "/account/password",
    "/property/platform", "/property/compounds", "/property/companies", "/property/compounds/{compound}", "/property/companies/{company}",
    "/property/reports/ownerless", "/property/reports/party", "/property/reports/cross-appointment",
    "/property/companies/new", "/property/companies/{company}/edit", "/property/compounds/{compound}/service",
    "/property/compounds/{compound}/service/end", "/property/backstop",
    "/property/companies/{company}/staff", "/property/companies/{company}/instructors",
    "/matching/fairs", "/matching/fairs/{fair}",
    "/projects", "/projects/new",
)] + [Visit("handler", "/cases/department")] + [Visit("company_user", p) for p in (
    "/property/companies/{company}", "/property/compounds", "/cases/department",
)] + [Visit("worker", p) for p in (
    "/my-grid", "/cases/grid", "/report", "/my-reports", "/dashboard",
)] + [Visit("admin", p) for p in ("/accounts", "/ops/outbox")] + [Visit("auditor", "/audit")]
MAIN_PAGES = PUBLIC + RESIDENT + BACK_OFFICE


@pytest.fixture(scope="module")
def accounts(wangge_server) -> dict:
    printed = _wangge(wangge_server.env, "shell", "-c", ACCOUNTS.format(tag=secrets.token_hex(3)))
    return json.loads(printed.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def signed_in(browser: Browser, wangge_server, accounts) -> dict:
    """Each role's signed-in browser state, signed in once for the whole module."""
    states = {}
    for who in ("official", "handler", "worker", "resident", "company_user", "admin", "auditor"):
        context = browser.new_context(locale="zh-CN")
        sign_in_as(context, wangge_server, accounts[who])
        states[who] = context.storage_state()
        context.close()
    return states


def _open(browser: Browser, server, accounts: dict, signed_in: dict, visit: Visit, viewport: dict) -> Page:
    # axe-core is put into the page by the test as an inline script, which the page's own
    # Content-Security-Policy rightly refuses; the test's browser alone sets it aside.
    context = browser.new_context(
        locale="zh-CN", viewport=viewport, is_mobile=viewport["width"] < 500, has_touch=viewport["width"] < 500,
        bypass_csp=True, storage_state=signed_in.get(visit.who),
    )
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(60_000)  # a report over the whole district takes its time
    page = context.new_page()
    path = visit.path.format(**accounts)
    response = page.goto(server.url + path)
    assert response is not None and response.ok, (str(visit), response and response.status)
    assert page.url.split("?")[0] == (server.url + path).split("?")[0], f"{visit} went to {page.url}"
    page.wait_for_load_state("networkidle")
    return page


def _content_on_the_first_screen(page: Page, where: str) -> None:
    """Usable at 390 px: no sideways scroll, and the navigation leaves the page's own content on
    the first screen instead of pushing it below (the `main` landmark, whatever the shell)."""
    assert_no_sideways_scroll(page, where)
    top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert top < WIDER_PHONE["height"] / 3, f"{where}: the content starts {top:.0f} px down a {WIDER_PHONE['height']} px screen"


@pytest.mark.parametrize("visit", MAIN_PAGES, ids=str)
def test_it_fits_a_phone_without_a_serious_accessibility_violation(browser, wangge_server, accounts, signed_in, visit):
    """At 360 px every page; then, the same page turned to a 390 px phone's screen, a back-office
    page starts its content on the first screen."""
    page = _open(browser, wangge_server, accounts, signed_in, visit, PHONE)
    checks = [(PHONE, check) for check in (assert_no_sideways_scroll, assert_no_crushed_text, assert_no_serious_axe_violation)]
    if visit in BACK_OFFICE:
        checks.append((WIDER_PHONE, _content_on_the_first_screen))
    failures = []
    try:
        for screen, check in checks:
            page.set_viewport_size(screen)  # unchanged until the 390 px check
            try:
                check(page, f"{visit} at {screen['width']} px")
            except AssertionError as failure:  # every check's findings in one report
                failures.append(str(failure))
    finally:
        page.context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("visit", MAIN_PAGES, ids=str)
def test_it_has_no_serious_accessibility_violation_on_a_desktop(browser, wangge_server, accounts, signed_in, visit):
    page = _open(browser, wangge_server, accounts, signed_in, visit, DESKTOP)
    try:
        assert_no_serious_axe_violation(page, f"{visit} at 1280 px")
    finally:
        page.context.close()


def test_the_checks_catch_a_page_too_wide_squeezed_text_and_an_unlabelled_field(browser, wangge_server, accounts, signed_in):
    """The helpers themselves fail on what they are meant to catch."""
    page = _open(browser, wangge_server, accounts, signed_in, Visit("public", "/login"), PHONE)
    try:
        page.evaluate("""() => {
            const wide = document.createElement('div');
            wide.id = 'too-wide'; wide.style.width = '700px'; wide.textContent = '过宽';
            document.querySelector('main').append(wide);
            const narrow = document.createElement('div');
            narrow.id = 'too-narrow'; narrow.style.width = '12px'; narrow.textContent = '一段挤成一列的中文文字';
            document.querySelector('main').append(narrow);
            const field = document.createElement('input');
            field.id = 'unlabelled';
            document.querySelector('main').append(field);
        }""")
        with pytest.raises(AssertionError, match="too-wide"):
            assert_no_sideways_scroll(page)
        with pytest.raises(AssertionError, match="too-narrow"):
            assert_no_crushed_text(page)
        assert any(v["id"] == "label" and "#unlabelled" in v["targets"] for v in axe_violations(page))
        with pytest.raises(AssertionError, match="label"):
            assert_no_serious_axe_violation(page)
    finally:
        page.context.close()
