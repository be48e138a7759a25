"""Facilities over real HTTP: the public map's reads and "nearest to me" (ordered by distances
computed here independently on the ellipsoid, limited per address), the officials' keeping
within their scope, and the error shape."""

from pyproj import Geod

from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.matching.facilities import services
from wangge.matching.models import Facility

GEOD = Geod(ellps="WGS84")


def _made(spots, kind="elderly_area", status="open"):
    points = [(lon, lat, grid[:12]) for lon, lat, grid in spots["away"]] + [(lon, lat, spots["community"]) for lon, lat in spots["home"]]
    return [
        services.facility_save(actor=None, kind_code=kind, name=f"活动区{i}", community_code=code, lon=lon, lat=lat, address=f"{i}号", status=status)
        for i, (lon, lat, code) in enumerate(points)
    ]


def test_nearest_lists_open_facilities_of_the_kind_by_distance(api, spots):
    made = _made(spots)
    closed = _made(spots, status="maintenance")  # at the same points: only being open tells them apart
    _made(spots, kind="tcm_room")
    lon, lat = spots["home"][0][0] + 0.004, spots["home"][0][1] - 0.003
    response = api.get(f"/api/facilities/nearest?kind=elderly_area&lon={lon}&lat={lat}&count=5")
    assert response.status_code == 200, response.text
    found = response.json()
    expected = sorted(made, key=lambda f: GEOD.inv(lon, lat, f.lon, f.lat)[2])[:5]
    assert [f["id"] for f in found] == [f.pk for f in expected]
    for row, facility in zip(found, expected, strict=True):
        assert abs(row["metres"] - GEOD.inv(lon, lat, facility.lon, facility.lat)[2]) <= 1
        assert row["open"] and row["kind_name"] == "老年人活动区"
    assert [r["metres"] for r in found] == sorted(r["metres"] for r in found)
    assert not {c.pk for c in closed} & {r["id"] for r in found}
    everything = api.get("/api/facilities/public?kind=elderly_area").json()
    assert len(everything) == len(made) + len(closed) and sum(not r["open"] for r in everything) == len(closed)
    assert "community_code" not in everything[0] and "project_number" not in everything[0]


def test_nearest_refuses_bad_input_by_field(api, spots):
    _made(spots)
    cases = (
        ("kind=zoo&lon=113.7&lat=34.7", 400, "kind"),
        ("kind=elderly_area&lon=113.7&lat=34.7&count=0", 400, "count"),
        ("kind=elderly_area&lon=113.7&lat=34.7&count=21", 400, "count"),
        ("kind=elderly_area&lon=nan&lat=34.7", 400, "lon"),
        ("kind=elderly_area&lon=113.7&lat=95", 400, "lat"),
        ("kind=elderly_area&lon=abc&lat=34.7", 422, "lon"),
        ("kind=elderly_area&lat=34.7", 422, "lon"),
    )
    for query, status, field in cases:
        response = api.get(f"/api/facilities/nearest?{query}")
        assert response.status_code == status, (query, response.text)
        assert response.json()["errors"][0]["field"] == field, query


def test_nearest_is_limited_per_address(api, spots):
    _made(spots)
    query = f"/api/facilities/nearest?kind=elderly_area&lon={spots['home'][0][0]}&lat={spots['home'][0][1]}"
    statuses = [api.get(query).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    refused = api.get(query)
    assert refused.json()["detail"].startswith("查询过于频繁") and refused.json()["errors"] == []
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_officials_keep_facilities_in_their_scope(api, people, spots):
    lon, lat = spots["home"][1]
    body = {"kind_code": "rehabilitation", "name": "阳光康复站", "community_code": spots["community"], "lon": lon, "lat": lat, "address": "2号楼一层", "capacity": 12}
    created = api.post("/api/facilities", token=people.community_official.token, json=body)
    assert created.status_code == 201, created.text
    facility_id = created.json()["id"]
    changed = api.request("put", f"/api/facilities/{facility_id}", token=people.subdistrict_official.token, json={**body, "status": "maintenance"})
    assert changed.json()["status_label"] == "维护中暂停开放"
    other = User.objects.create(username="other_community", role=Role.COMMUNITY_OFFICIAL, scope_code=people.other_grid.community.code)
    token = token_issue(user=other)
    for method, json in (("get", None), ("put", body)):
        response = api.request(method, f"/api/facilities/{facility_id}", token=token, json=json)
        missing = api.request(method, "/api/facilities/987654321", token=token, json=json)
        assert (response.status_code, response.json()) == (missing.status_code, missing.json()) == (404, {"detail": "未找到该对象", "errors": []})
    assert api.get("/api/facilities", token=token).json()["count"] == 0
    assert api.get(f"/api/facilities/{facility_id}", token=people.grid_worker.token).status_code == 403
    refused = api.post("/api/facilities", token=people.community_official.token, json={**body, "lon": 113.0, "lat": 10.0})
    assert refused.status_code == 400 and refused.json()["errors"] == [{"field": "lon", "reason": "该位置不在本区任何网格内，请核对经纬度"}]
    assert Facility.objects.get(pk=facility_id).status == "maintenance"
    kinds = api.get("/api/facilities/kinds").json()
    assert [k["name"] for k in kinds][:2] == ["儿童微游园", "老年人活动区"]
