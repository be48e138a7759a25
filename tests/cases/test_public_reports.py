"""The public selection of recent reports (`cases/selectors_public.py`) as the portal's map
serves it to anyone: points to 0.001 degree as in Open311, no rejected or merged cases, the
last 30 days only and at most 200, and nothing that names or quotes anyone."""

import json
import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.cases.factories import case_in
from wangge.cases.models import Case
from wangge.cases.selectors_public import RECENT_DAYS, RECENT_LIMIT
from wangge.cases.services import case_merge, case_transition

DATA = re.compile(r'<script id="reports-data" type="application/json">(.*?)</script>', re.S)
PHONE = "13812345678"


def _shown(client=None) -> list[dict]:
    response = (client or Client()).get("/reports")
    assert response.status_code == 200
    return json.loads(DATA.search(response.content.decode()).group(1))


def _moved(case: Case, **fields) -> Case:
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def test_it_shows_category_status_day_and_a_point_rounded_to_three_decimals(people):
    case = _moved(case_in(people, people.home_grid), lon=113.6812345, lat=34.7456789)
    [shown] = _shown()
    assert shown == {
        "category": case.category.name, "status": "已上报", "open": True,
        "date": timezone.localdate(case.reported_at).isoformat(), "lon": 113.681, "lat": 34.746,
    }


def test_it_rounds_as_open311_does(client, people):
    case = _moved(case_in(people, people.home_grid), lon=113.6815, lat=34.7444999)
    [shown] = _shown()
    [fed] = [r for r in json.loads(client.get("/open311/v2/requests.json").content) if r["service_request_id"] == case.number]
    assert (shown["lon"], shown["lat"]) == (fed["long"], fed["lat"])


def test_it_leaves_out_rejected_and_merged_cases_and_shows_closed_ones(people):
    kept = case_in(people, people.home_grid, client_id="kept")
    rejected = case_in(people, people.home_grid, client_id="rejected")
    case_transition(case=rejected, to=Case.Status.REJECTED, actor=people.community_official.user, reason="不属于受理范围")
    merged = case_in(people, people.home_grid, client_id="merged")
    case_merge(case=merged, into=kept, actor=people.community_official.user)
    closed = _moved(case_in(people, people.home_grid, client_id="closed"), status=Case.Status.CLOSED, lon=113.0, lat=34.0)
    shown = _shown()
    assert len(shown) == 2
    assert [(r["open"], r["status"]) for r in shown] == [(False, "已结案"), (True, "已上报")]  # newest first
    assert (shown[0]["lon"], shown[0]["lat"]) == (closed.lon, closed.lat)


def test_it_shows_the_last_thirty_days_newest_first_and_at_most_two_hundred(people):
    now = timezone.now()
    inside = _moved(case_in(people, people.home_grid, client_id="inside"), reported_at=now - timedelta(days=RECENT_DAYS, hours=-1), lon=113.1, lat=34.1)
    _moved(case_in(people, people.home_grid, client_id="outside"), reported_at=now - timedelta(days=RECENT_DAYS, hours=1), lon=113.2, lat=34.2)
    assert [(r["lon"], r["date"]) for r in _shown()] == [(113.1, timezone.localdate(inside.reported_at).isoformat())]

    template = Case.objects.get(pk=inside.pk)
    Case.objects.bulk_create([
        Case(**{**{f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields if f.attname != "id"},
                "number": f"SJTEST{i:06d}", "client_id": f"bulk-{i}", "reported_at": now - timedelta(minutes=i), "lon": 113.3})
        for i in range(RECENT_LIMIT)
    ])
    shown = _shown()
    assert len(shown) == RECENT_LIMIT and {r["lon"] for r in shown} == {113.3}  # the oldest one no longer fits


def test_it_names_and_quotes_no_one(people):
    case = case_in(people, people.home_grid, reporter=people.resident.user)
    _moved(case, description=f"我是张三，电话{PHONE}，门口下水道堵了", address="某某小区3号楼2单元")
    page = Client().get("/reports").content.decode()
    for private in (PHONE, "张三", "下水道堵了", "某某小区", case.address, people.resident.user.username, case.number, case.grid_code):
        assert private not in page, private
    assert set(_shown()[0]) == {"category", "status", "open", "date", "lon", "lat"}


def test_it_leaves_out_social_governance_cases_whose_place_would_point_at_a_household(people):
    # A care visit or a dispute at a point to 100 m says who in that block is vulnerable or quarrelling.
    shown_case = case_in(people, people.home_grid, client_id="street")
    for code in ("care_visit", "dispute"):
        case_in(people, people.home_grid, category=code, client_id=code)
    shown = _shown()
    assert [r["category"] for r in shown] == [shown_case.category.name]
