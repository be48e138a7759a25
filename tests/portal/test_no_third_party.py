"""No page loads anything from another host (fonts, scripts, maps, analytics): deployments are
often on closed government networks, and the portal promises visitors that nothing they read
is reported elsewhere. Every public page, and every back-office page an official can open
without parameters, is fetched; its src/href/action/srcset attributes, inline styles and the
stylesheets it links are checked for absolute http(s):// or protocol-relative // references."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.portal import making as make
from wangge.portal.objections import objection_answer, objection_submit

OWN_HOST = "testserver"
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "srcset", "background", "manifest", "cite"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE)
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//", re.IGNORECASE)


def foreign(reference: str) -> bool:
    """An absolute or protocol-relative URL whose host is not ours."""
    reference = re.sub(r"[\t\n\r]", "", reference).strip()
    if not EXTERNAL.match(reference):
        return False
    return urlsplit(reference).hostname != OWN_HOST


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.stylesheets: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                self.found.extend(part.strip().split(" ")[0] for part in value.split(","))
            elif name in URL_ATTRIBUTES or (name == "content" and attributes.get("http-equiv", "").lower() == "refresh"):
                self.found.append(value.split("url=", 1)[-1] if name == "content" else value)
            elif name == "style":
                self.found.extend(css_references(value))
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").lower() and attributes.get("href"):
            self.stylesheets.append(attributes["href"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag) -> None:
        self._in_style = False

    def handle_data(self, data) -> None:
        if self._in_style:
            self.found.extend(css_references(data))


def css_references(css: str) -> list[str]:
    return [m.group(2) or m.group(4) or "" for m in CSS_URL.finditer(css)]


def foreign_references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    found = [r for r in parser.found if foreign(r)]
    for sheet in parser.stylesheets:
        if foreign(sheet):
            continue
        # The tests serve no static files; the stylesheet is read where the server would find it.
        path = finders.find(urlsplit(sheet).path.removeprefix(settings.STATIC_URL))
        assert path, f"{sheet} is not a static file of the platform"
        css = Path(path).read_text(encoding="utf-8")
        found.extend(f"{sheet}: {r}" for r in css_references(css) if foreign(r))
    return found


def _plain_paths(resolver: URLResolver = None, prefix: str = "") -> list[str]:
    """Every path of the URL configuration that takes no parameter."""
    paths = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            paths.extend(_plain_paths(entry, prefix + route))
        elif isinstance(entry, URLPattern):
            paths.append("/" + prefix + route)
    return sorted(set(paths))



def test_the_checker_catches_foreign_references(db):
    page = """<html><head><link rel="stylesheet" href="https://cdn.example.com/a.css">
      <script src="//analytics.example.net/t.js"></script><style>body{background:url("http://img.example.org/b.png")}</style></head>
      <body><img srcset="/static/a.png 1x, https://img.example.org/c.png 2x"><a href="http://testserver/news">ours</a>
      <div style="background-image:url(//tiles.example.com/1.png)"></div><form action="https://forms.example.com/"></form></body></html>"""
    found = foreign_references(page)
    assert sorted(found) == sorted([
        "https://cdn.example.com/a.css", "//analytics.example.net/t.js", "http://img.example.org/b.png",
        "https://img.example.org/c.png", "//tiles.example.com/1.png", "https://forms.example.com/",
    ])


def test_no_public_page_refers_to_another_host(people):
    article = make.article(people, body='<p>正文<img src="/static/portal/none.png" alt="图"><a href="/news">新闻</a></p>')
    disclosure = make.disclosure(people)
    objection = objection_submit(disclosure=disclosure, text="有异议")
    objection_answer(objection=objection, actor=people.district_official.user, answer="已答复")
    pages = ["/", "/news", "/news/media", f"/news/{article.pk}", "/disclosures", "/disclosures?period=past",
             f"/disclosures/{disclosure.pk}", "/search?q=网格", "/search?q=", "/services", "/services/need", "/follow",
             "/news/no-such-section"]
    client = Client()
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert foreign_references(response.content.decode()) == [], path
    for path, data in ((f"/disclosures/{disclosure.pk}/objections", {"text": ""}), ("/services/need", {}), ("/follow", {"number": "x", "code": "y"})):
        response = client.post(path, data)
        assert foreign_references(response.content.decode()) == [], path


def test_no_page_an_official_opens_refers_to_another_host(people):
    client = Client()
    client.force_login(people.district_official.user)
    checked = []
    for path in _plain_paths():
        if path.startswith(("/api/", "/open311/", "/admin/", "/logout", "/static/")) or path.endswith((".js", ".json")):
            continue
        response = client.get(path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        checked.append(path)
        assert foreign_references(response.content.decode()) == [], path
    assert {"/", "/grids", "/report", "/news", "/disclosures"} <= set(checked)
