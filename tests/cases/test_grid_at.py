"""`GET /api/cases/grid-at`: the grid a report would be filed under, asked by the report page
before it sends, over real HTTP."""

import pytest

from tests.cases.factories import point_in
from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.geo.locator import grid_at

URL = "/api/cases/grid-at"
BEIJING = {"lon": 116.39, "lat": 39.91}


@pytest.mark.parametrize("persona", ["grid_worker", "resident", "community_official"])
def test_it_names_the_grid_a_point_falls_in(api, people, persona):
    lon, lat = point_in(people.other_grid)  # anywhere in the district, whatever the caller's own grid
    response = api.get(URL, token=getattr(people, persona).token, params={"lon": lon, "lat": lat})
    assert response.status_code == 200, response.text
    assert response.json() == {"code": people.other_grid.code, "name": people.other_grid.name}


def test_it_answers_what_a_report_at_the_point_is_filed_under(api, people):
    lon, lat = point_in(people.home_grid)
    asked = api.get(URL, token=people.resident.token, params={"lon": lon, "lat": lat}).json()
    report = {"client_id": "g-1", "category": "manhole_cover", "description": "井盖缺失", "lon": lon, "lat": lat, "address": ""}
    made = api.post("/api/cases", token=people.resident.token, json=report).json()
    assert asked["code"] == made["grid_code"] == grid_at(lon, lat)


def test_it_answers_404_in_chinese_outside_the_district(api, people):
    response = api.get(URL, token=people.grid_worker.token, params=BEIJING)
    assert response.status_code == 404
    assert "不在本区任何网格内" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lon": "东经113度", "lat": "34.75"}, "lon"),
        ({"lon": "nan", "lat": "34.75"}, "lon"),
        ({"lon": "inf", "lat": "34.75"}, "lon"),
        ({"lon": "181", "lat": "34.75"}, "lon"),
        ({"lon": "113.66", "lat": "-91"}, "lat"),
        ({"lon": "113.66", "lat": ""}, "lat"),
    ],
)
def test_it_refuses_a_bad_coordinate_naming_it_in_chinese(api, people, params, field):
    response = api.get(URL, token=people.grid_worker.token, params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert ("经度" if field == "lon" else "纬度") in body["detail"]


def test_it_refuses_anonymous_callers_and_those_who_may_not_report(api, people):
    lon, lat = point_in(people.home_grid)
    anonymous = api.get(URL, params={"lon": lon, "lat": lat})
    assert anonymous.status_code == 401 and "登录" in anonymous.json()["detail"]
    auditor = User.objects.create(username="auditor", role=Role.AUDITOR)  # 三员 do not report
    refused = api.get(URL, token=token_issue(user=auditor), params={"lon": lon, "lat": lat})
    assert refused.status_code == 403 and people.home_grid.code not in refused.text
