"""The error pages over real HTTP with DEBUG off: Chinese, in the portal's look on public pages
and the shell's in the back office, with the reason the code gave when it is written for
people, no internals on a 500, and the API's JSON shape kept under /api/."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.accounts.signing import sign_in
from tests.test_errors import assert_chinese_error
from wangge.cases.models import Case
from wangge.portal.models import Article

LEAKS = ("Traceback", "Exception", "Error", "no such table", "does not exist", "File \"", "/src/", "SELECT")


@pytest.fixture(autouse=True)
def _not_debugging(settings):
    settings.DEBUG = False


def _signed_in(api, user):
    """The live server's session for `user`, signed in through the real sign-in pages."""
    client = sign_in(user)
    api.session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return api


def _looks_public(page: str) -> bool:
    return 'class="portal"' in page and 'class="portal-nav"' in page and "shell-menu" not in page


def _title(page: str) -> str:
    return re.search(r'<h1 id="error-title">(.*?)</h1>', page).group(1)


def test_an_unknown_public_page_is_a_chinese_404_in_the_portals_look(api):
    response = api.get("/no-such-page")
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/html")
    assert _title(response.text) == "页面不存在" and _looks_public(response.text)
    assert "Not Found" not in response.text and '<html lang="zh-hans">' in response.text


def test_a_withdrawn_article_shows_the_reason_the_portal_gave(api):
    missing = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    response = api.get(f"/news/{missing}")
    assert response.status_code == 404 and _looks_public(response.text)
    assert re.search(r'<p class="error-reason" id="error-reason">文章不存在或已撤回</p>', response.text)


def test_a_back_office_404_is_in_the_shell_without_djangos_reason(api, people):
    _signed_in(api, people.community_official.user)
    response = api.get(f"/cases/{(Case.objects.order_by('-pk').values_list('pk', flat=True).first() or 0) + 1000}")
    assert response.status_code == 404 and 'id="shell-menu"' in response.text and not _looks_public(response.text)
    assert _title(response.text) == "页面不存在"
    assert "error-reason" not in response.text and "matches the given query" not in response.text


def test_a_refusal_is_a_chinese_403_carrying_the_views_reason(api, people):
    _signed_in(api, people.grid_worker.user)
    response = api.get("/cases/dispatch")
    assert response.status_code == 403 and 'id="shell-menu"' in response.text
    assert _title(response.text) == "没有访问权限"
    assert "只有区、街道、社区干部可以查看派遣队列" in response.text and "Forbidden" not in response.text


def test_a_server_error_says_nothing_of_what_went_wrong(api, people):
    _signed_in(api, people.grid_worker.user)
    with connection.cursor() as cursor:  # a table gone, as a half-applied migration would leave it (rolled back after the test)
        cursor.execute(f"ALTER TABLE {Case._meta.db_table} RENAME TO gone_cases")
    response = api.get("/cases/grid")
    assert response.status_code == 500 and _title(response.text) == "服务器出错了"
    assert 'class="shell' in response.text and "请稍后再试" in response.text
    # On PostgreSQL the failed query aborts the test's own transaction, which the server shares, as
    # a database gone would: the page is then the shell without what it asks the database for.
    assert ('id="shell-menu"' in response.text) == (connection.vendor == "sqlite")
    assert not [leak for leak in LEAKS if leak in response.text] and Case._meta.db_table not in response.text

    api_answer = api.get("/api/cases", token=people.grid_worker.token)
    assert_chinese_error(api_answer, 500)
    assert Case._meta.db_table not in api_answer.text and "Error" not in api_answer.text


def test_a_public_server_error_takes_the_portals_look(api):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {Article._meta.db_table} RENAME TO gone_articles")
    response = api.get("/news")
    assert response.status_code == 500 and _looks_public(response.text) and _title(response.text) == "服务器出错了"
    assert not [leak for leak in LEAKS if leak in response.text]


def test_the_api_keeps_answering_its_json_shape(api, people):
    assert_chinese_error(api.get("/api/no-such-thing", token=people.grid_worker.token), 404)
    assert_chinese_error(api.get("/api/audit", token=people.grid_worker.token), 403)
    assert "审计员" in api.get("/api/audit", token=people.grid_worker.token).json()["detail"]
    assert_chinese_error(api.get("/open311/v2/no-such-thing.json"), 404)
