"""The portal's map of recent reports (/reports) through the Django test client: in the portal's
layout and navigation, open to anyone, its map drawn from the platform's own files. What it
shows of each case is tested in tests/cases/test_public_reports.py; the drawing in a real
browser in tests/e2e/test_report_map.py."""

import html
import re

import pytest
from django.test import Client

from tests.cases.factories import case_in
from tests.portal import making as make


def test_every_portal_page_links_the_map_and_it_is_marked_current_on_its_own(db):
    client = Client()
    for path in ("/", "/news", "/services", "/follow"):
        page = make.text(client.get(path))
        assert re.search(r'<nav class="portal-nav".*?<a href="/reports">事件地图</a>', page, re.S), path
    page = make.text(client.get("/reports"))
    assert '<a href="/reports" aria-current="page">事件地图</a>' in page
    crumbs = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<nav class="portal-breadcrumb.*?</nav>', page, re.S).group(0)))
    assert " ".join(crumbs.split()) == "当前位置：首页 > 便民服务 > 事件地图"
    assert 'href="/reports"' in make.text(client.get("/services")).split('class="portal-services"', 1)[1]


def test_it_is_open_to_anyone_and_draws_with_the_platforms_own_files(people):
    case_in(people, people.home_grid)
    response = Client().get("/reports")
    page = make.text(response)
    assert response.status_code == 200 and "共 1 条：办理中 1 条，已结案 0 条。" in page
    for asset in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css", "/static/portal/reports.js"):
        assert asset in page
    assert 'data-outlines="/api/grids/outlines"' in page and 'data-tile-url=""' in page
    assert 'id="reports-map"' in page and "<table class=\"reports-table\">" in page
    assert "<script>" not in page  # no inline script: the CSP allows none


def test_it_says_so_when_nothing_was_reported(db):
    page = make.text(Client().get("/reports"))
    assert "共 0 条" in page and "近 30 天暂无上报。" in page and "reports-table" not in page


def test_it_draws_on_a_tile_server_only_when_one_is_configured(db, settings):
    settings.WANGGE_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    page = make.text(Client().get("/reports"))
    assert 'data-tile-url="https://tiles.example.gov.cn/{z}/{x}/{y}.png"' in page


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_reads(db, method):
    assert getattr(Client(), method)("/reports").status_code == 405
