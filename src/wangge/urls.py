from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.views.generic import RedirectView

from wangge.accounts import office_views
from wangge.accounts import views as account_views
from wangge.api import api
from wangge.core import views as core_views
from wangge.geo import views as geo_views
from wangge.health import health
from wangge.ops import views as ops_views
from wangge.people.views import my_grid, reports, workbooks

admin.site.site_header = "网格化基层治理平台"
admin.site.site_title = "网格化基层治理平台"
admin.site.index_title = "数据维护"

# Django's own error pages are English; ours are Chinese, in the portal's or the shell's look,
# and answer the API's JSON shape under /api/ and /open311/.
handler400 = "wangge.core.error_shape.bad_request"
handler403 = "wangge.core.error_shape.permission_denied"
handler404 = "wangge.core.error_shape.page_not_found"
handler500 = "wangge.core.error_shape.server_error"

urlpatterns = [
    path("health", health, name="health"),
    path("api/", api.urls),  # first: the field app's calls need not be tried against every page's pattern
    # Then the portal: its public pages are the busiest, and trying each against every back-office
    # pattern first cost the article page a fifth of its time (benchmarks/bench_portal.py). It shadows
    # nothing: tests/test_urls.py resolves every pattern to its own view.
    path("", include("wangge.portal.urls")),
    path("login", account_views.sign_in, name="login"),
    path("login/code", account_views.sign_in_code, name="sign-in-code"),
    path("account/totp", account_views.totp_enrol, name="totp"),
    path("account/password", account_views.password_change, name="password-change"),
    path("accounts", office_views.accounts_list, name="accounts-list"),
    path("audit", office_views.audit_trail, name="audit-trail"),
    path("logout", LogoutView.as_view(next_page="/login"), name="logout"),
    path("inbox", core_views.inbox, name="inbox"),
    path("inbox/<int:notice_id>/open", core_views.notice_open, name="inbox-open"),
    path("inbox/<int:notice_id>/read", core_views.notice_read, name="inbox-read"),
    path("inbox/read-all", core_views.notices_read_all, name="inbox-read-all"),
    path("ops/outbox", ops_views.outbox_page, name="ops-outbox"),
    path("grids", geo_views.grid_map, name="grid-map"),
    path("my-grid", my_grid.my_grid, name="my-grid"),
    path("my-grid/buildings/<int:building_id>", my_grid.my_grid_building, name="my-grid-building"),
    path("people/staffing", reports.staffing_report, name="staffing-report"),
    path("people/party", reports.party_report, name="party-report"),
    path("people/workbooks", workbooks.workbooks, name="people-workbooks"),
    path("", include("wangge.redraw.urls")),
    path("", include("wangge.cases.urls")),
    path("", include("wangge.property.urls")),
    path("", include("wangge.matching.urls")),
    path("", include("wangge.dashboard.urls")),
    path("", include("wangge.property.rating.urls")),
    path("", include("wangge.matching.facilities.urls")),
    path("", include("wangge.matching.deliberation.urls")),
    path("", include("wangge.projects.urls_from")),
    path("", include("wangge.property.urls_map")),
    path("", include("wangge.projects.urls")),
    path("open311/v2/", include("wangge.cases.open311")),
    # The admin's own sign-in form would skip the second factor and the lockout.
    path("admin/login/", RedirectView.as_view(url="/login", query_string=True)),
    path("admin/", admin.site.urls),
]
