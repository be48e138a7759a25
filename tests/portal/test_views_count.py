"""The article's view count, over real HTTP: once per visitor per day, never for crawlers, no
count lost when many requests arrive at once."""

import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import requests
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.utils import timezone

from tests.e2e.conftest import _wangge, start_gunicorn, stop_gunicorn
from tests.portal import making as make
from wangge.accounts.models import Role, User
from wangge.geo.models import Division
from wangge.portal.models import Article, ArticleView
from wangge.portal.publishing import (
    article_save,
    publication_approve,
    publication_submit,
    publication_withdraw,
)
from wangge.portal.visits import VISITOR_COOKIE, article_views_purge, visitor_digest

BROWSER = {"User-Agent": make.BROWSER}
CONCURRENT = 12


def _beacon(api, pk: int, session: requests.Session | None = None, headers: dict | None = None) -> requests.Response:
    client = session or requests.Session()
    return client.post(f"{api.url}/news/{pk}/view", headers=headers or BROWSER, timeout=60)


def test_a_visitor_counts_once_a_day(api, people):
    article = make.article(people)
    reader = requests.Session()
    first = _beacon(api, article.pk, reader)
    assert first.status_code == 200 and first.json() == {"views": 1}
    cookie = next(c for c in reader.cookies if c.name == VISITOR_COOKIE)
    assert cookie.has_nonstandard_attr("HttpOnly") and first.headers["Cache-Control"] == "no-store"
    assert "samesite=lax" in first.headers["Set-Cookie"].lower() and "max-age=31536000" in first.headers["Set-Cookie"].lower()
    assert _beacon(api, article.pk, reader).json() == {"views": 1}
    assert _beacon(api, article.pk).json() == {"views": 2}  # another visitor
    # Only the digest of the cookie is kept, never the cookie itself.
    visitors = set(ArticleView.objects.filter(article=article).values_list("visitor", flat=True))
    assert visitor_digest(cookie.value) in visitors and cookie.value not in visitors
    assert ArticleView.objects.get(article=article, visitor=visitor_digest(cookie.value)).day == timezone.localdate()
    assert Article.objects.get(pk=article.pk).views == 2


def test_a_visitor_counts_again_the_next_day(api, people):
    article = make.article(people)
    reader = requests.Session()
    _beacon(api, article.pk, reader)
    ArticleView.objects.filter(article=article).update(day=timezone.localdate() - timezone.timedelta(days=1))
    assert _beacon(api, article.pk, reader).json() == {"views": 2}


def test_crawlers_are_not_counted(api, people):
    article = make.article(people)
    for agent in ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", "python-requests/2.32", ""):
        answer = _beacon(api, article.pk, headers={"User-Agent": agent})
        assert answer.status_code == 200 and answer.json() == {"views": 0}, agent
        assert VISITOR_COOKIE not in answer.cookies
    assert not ArticleView.objects.filter(article=article).exists()


def test_the_beacon_is_a_post_for_published_articles_only(api, people):
    article = make.article(people)
    draft = make.article(people, publish_it=False)
    assert api.get(f"/news/{article.pk}/view", headers=BROWSER).status_code == 405
    assert _beacon(api, draft.pk).status_code == 404
    assert Article.objects.get(pk=draft.pk).views == 0


def test_loading_the_page_counts_nothing(api, people):
    article = make.article(people)
    for _ in range(3):
        assert api.get(f"/news/{article.pk}", headers=BROWSER).status_code == 200
    assert Article.objects.get(pk=article.pk).views == 0


# --- many requests at once --------------------------------------------------------------
# On PostgreSQL the platform runs in this process with a thread per request, each on its own
# connection. The SQLite test database is a shared in-memory one whose table locks ignore the
# busy timeout, unlike the file database the platform runs on; there the race is run against
# gunicorn on a file database, as deployed.

PUBLISH = """
from wangge.accounts.models import User
from wangge.portal.publishing import article_save, publication_approve, publication_submit, publication_withdraw
writer = User.objects.create(username="views_writer", is_superuser=True)
approver = User.objects.create(username="views_approver", is_superuser=True)
article = article_save(actor=writer, section="media", title="并发计数测试", body="<p>正文</p>")
publication_submit(item=article, actor=writer)
print(publication_approve(item=article, actor=approver).pk)
"""


class _ThreadedServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _in_process(django_db_blocker):
    handler = WSGIHandler()

    def app(environ, start_response):
        try:
            return handler(environ, start_response)
        finally:
            connections["default"].close()  # the thread ends with its request

    with django_db_blocker.unblock():
        district = Division.objects.get(kind=Division.Kind.DISTRICT).code
        writer = User.objects.create(username="views_writer", role=Role.DISTRICT_OFFICIAL, scope_code=district)
        approver = User.objects.create(username="views_approver", role=Role.DISTRICT_OFFICIAL, scope_code=district)
        article = article_save(actor=writer, section="media", title="并发计数测试", body="<p>正文</p>")
        publication_submit(item=article, actor=writer)
        publication_approve(item=article, actor=approver)
        httpd = make_server("127.0.0.1", 0, app, server_class=_ThreadedServer, handler_class=_Quiet)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{httpd.server_port}/news/{article.pk}/view"
        finally:
            httpd.shutdown()
            ArticleView.objects.filter(article=article).delete()
            article.delete()
            writer.delete()
            approver.delete()


def _gunicorn(var_dir):
    env = dict(os.environ, WANGGE_VAR_DIR=str(var_dir))
    env.pop("DATABASE_URL", None)
    _wangge(env, "migrate", "--noinput", "-v0")
    pk = int(_wangge(env, "shell", "-c", PUBLISH).strip().splitlines()[-1])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    proc = start_gunicorn(env, url, var_dir / "gunicorn.log", workers=4)
    try:
        yield f"{url}/news/{pk}/view"
    finally:
        stop_gunicorn(proc)


@pytest.fixture
def beacon_url(django_db_blocker, tmp_path):
    """The beacon of a published article, served by a server that answers requests at once."""
    if connection.vendor == "postgresql":
        yield from _in_process(django_db_blocker)
    else:
        yield from _gunicorn(tmp_path)


def _at_once(url: str, sessions: list[requests.Session]) -> list[int]:
    barrier = threading.Barrier(len(sessions))

    def send(session: requests.Session) -> int:
        barrier.wait()
        response = session.post(url, headers=BROWSER, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()["views"]

    with ThreadPoolExecutor(len(sessions)) as pool:
        return list(pool.map(send, sessions))


def _views(url: str) -> int:
    # A crawler's beacon counts nothing and answers the count.
    return requests.post(url, headers={"User-Agent": "curl/8.5"}, timeout=60).json()["views"]


def test_concurrent_visitors_each_count_once(beacon_url):
    answers = _at_once(beacon_url, [requests.Session() for _ in range(CONCURRENT)])
    assert _views(beacon_url) == CONCURRENT and max(answers) == CONCURRENT


def test_the_same_visitor_at_once_counts_once(beacon_url):
    twins = []
    for _ in range(CONCURRENT):
        twin = requests.Session()
        twin.cookies.set(VISITOR_COOKIE, "same-visitor-" + "x" * 20)
        twins.append(twin)
    answers = _at_once(beacon_url, twins)
    assert _views(beacon_url) == 1 and set(answers) == {1}


def test_a_publication_step_keeps_the_count_the_beacons_made(api, people):
    article = make.article(people)
    stale = Article.objects.get(pk=article.pk)  # read before the visits, as a reviewer's page would
    for _ in range(3):
        _beacon(api, article.pk)
    publication_withdraw(item=stale, actor=make.reviewer(), note="内容需更新")
    assert Article.objects.get(pk=article.pk).views == 3


def test_the_worker_forgets_who_viewed_before_yesterday_and_keeps_the_counts(api, people):
    article = make.article(people)
    for _ in range(3):
        _beacon(api, article.pk)
    today = timezone.localdate()
    days = [today - timezone.timedelta(days=n) for n in (0, 1, 5)]
    for row, day in zip(ArticleView.objects.filter(article=article).order_by("pk"), days, strict=True):
        ArticleView.objects.filter(pk=row.pk).update(day=day)
    assert article_views_purge(today=today) == 1
    assert sorted(ArticleView.objects.filter(article=article).values_list("day", flat=True)) == sorted(days[:2])
    assert Article.objects.get(pk=article.pk).views == 3
