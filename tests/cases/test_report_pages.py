"""The reporting pages through the Django test client: who may open the form, what it offers,
whose reports /my-reports lists, and the service worker's headers. What the page's script does
with the network is tested in a real browser (tests/e2e/test_report.py)."""

import json
import re

import pytest

from tests.cases.factories import case_in
from wangge.accounts.models import Role, User
from wangge.cases.models import Category

CONFIG = re.compile(r'<script id="report-config" type="application/json">(.*?)</script>', re.S)


def _as(client, person):
    client.force_login(person.user)
    return client


@pytest.mark.parametrize("persona", ["grid_worker", "resident"])
def test_it_offers_the_form_to_those_who_report(client, people, persona):
    response = _as(client, getattr(people, persona)).get("/report")
    assert response.status_code == 200
    html = response.content.decode()
    config = json.loads(CONFIG.search(html).group(1))
    assert config["user"] == getattr(people, persona).user.pk
    active = Category.objects.filter(active=True)
    assert set(config["categories"]) == set(active.values_list("code", flat=True))
    for c in active:
        assert f'<option value="{c.code}">' in html
    assert html.count("<optgroup") == len(set(active.values_list("kind", flat=True)))


def test_it_leaves_out_inactive_categories(client, people):
    Category.objects.filter(code="street_light").update(active=False)
    html = _as(client, people.grid_worker).get("/report").content.decode()
    assert 'value="street_light"' not in html and 'value="manhole_cover"' in html


def test_it_refuses_the_form_to_those_who_may_not_report_and_asks_strangers_to_sign_in(client, people):
    assert client.get("/report").status_code == 302
    assert client.get("/my-reports").status_code == 302
    auditor = User.objects.create(username="auditor", role=Role.AUDITOR)  # 三员 do not report
    client.force_login(auditor)
    assert client.get("/report").status_code == 403


def test_it_lists_only_ones_own_reports_newest_first(client, people):
    older = case_in(people, people.home_grid, client_id="a")
    newer = case_in(people, people.home_grid, client_id="b")
    theirs = case_in(people, people.home_grid, reporter=people.resident.user, client_id="c")
    html = _as(client, people.grid_worker).get("/my-reports").content.decode()
    numbers = re.findall(r'data-number="(\w+)"', html)
    assert numbers == [newer.number, older.number]
    assert f'href="/cases/{newer.pk}"' in html and theirs.number not in html


def test_it_serves_the_service_worker_for_the_report_page(client):
    response = client.get("/report/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/report"
    body = response.content.decode()
    cache = re.search(r'"cache": "(wangge-report-[0-9a-f]{12})"', body)
    assert cache and '"/report"' in body and "/static/cases/report.js" in body
    assert client.get("/report/sw.js").content.decode() == body  # the same bytes keep the same cache


def test_the_form_has_a_map_of_the_grids_and_asks_where_a_point_falls(client, people):
    html = _as(client, people.resident).get("/report").content.decode()
    config = json.loads(CONFIG.search(html).group(1))
    assert (config["grid_at"], config["outlines"], config["tile_url"]) == ("/api/cases/grid-at", "/api/grids/outlines", "")
    assert 'id="report-map"' in html and 'id="report-grid"' in html and ">使用我的位置</button>" in html
    for script in ("vendor/leaflet/leaflet.js", "cases/report.js", "cases/report_map.js"):
        assert f'<script src="/static/{script}" defer></script>' in html


def test_the_service_worker_keeps_the_map_for_offline_use(client):
    body = client.get("/report/sw.js").content.decode()
    for kept in ("/static/cases/report_map.js", "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css", '"/api/grids/outlines"'):
        assert kept in body, kept
