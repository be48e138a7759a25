"""The Content-Security-Policy in a real browser: our pages and the Django admin load and work
without a single violation, and the policy really is enforced."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# Runs before any script of the page, outside the page's CSP (Playwright injects it itself).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Violations:
    """CSP violations a page reports, from its console and from `securitypolicyviolation` events."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def of_current_page(self) -> list[str]:
        return self.console + self.page.evaluate("window.__cspViolations || []")

    def assert_none(self, where: str) -> None:
        self.page.wait_for_load_state("networkidle")
        assert self.of_current_page() == [], where


def visit(page: Page, violations: Violations, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    violations.assert_none(url)


def test_pages_and_admin_report_no_violation(page: Page, wangge_server):
    violations = Violations(page)
    visit(page, violations, wangge_server.url + "/login")
    visit(page, violations, wangge_server.url + "/admin/login/?next=/admin/")  # the admin's sign-in

    log_in(page, wangge_server)
    expect(page.locator("#grid-page")).to_have_attribute("data-loaded", "top")  # Leaflet drew the grids
    violations.assert_none("/grids")

    code = page.request.get(wangge_server.url + "/api/grids?level=3").json()["features"][0]["properties"]["code"]
    visit(page, violations, wangge_server.url + f"/my-grid?grid={code}")
    expect(page.locator(".leaflet-container")).to_be_visible()  # the grid worker's map drew
    violations.assert_none("/my-grid")
    for path in ("/my-grid", "/people/workbooks", "/people/staffing", "/account/password", "/admin/", "/admin/geo/grid/"):
        visit(page, violations, wangge_server.url + path)

    # The admin's own scripts run: the sidebar filter narrows the models, and a change form opens.
    page.fill("#nav-filter", "网格")
    page.locator("#result_list tbody tr a").first.click()
    expect(page.locator("#content-main form")).to_be_visible()
    violations.assert_none("an admin change form")


def test_an_inline_script_is_refused(page: Page, wangge_server):
    violations = Violations(page)
    page.goto(wangge_server.url + "/login")
    # An injected inline script, as an XSS would add it: the browser must refuse to run it.
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = true"; document.body.append(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in violations.of_current_page())


def test_no_page_warns_about_its_permissions_policy(page: Page, wangge_server):
    # Chromium logs an error on every page for each feature of the header it does not know.
    complaints: list[str] = []
    page.on("console", lambda m: complaints.append(f"{m.type}: {m.text}") if "permissions" in m.text.lower() else None)
    for path in ("/", "/login", "/report"):
        response = page.goto(wangge_server.url + path)
        assert response is not None and response.ok, path
        assert "geolocation=(self)" in response.headers["permissions-policy"]
        page.wait_for_load_state("networkidle")
    assert complaints == []
    icon = page.request.get(wangge_server.url + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/")
