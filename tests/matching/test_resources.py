"""The resource list over the API: a provider keeps its own, officials those of their subtree;
another's resource answers as a missing one, and bad input is refused field by field."""

import pytest

from tests.matching.making import provider, resource_in, resource_values
from wangge.matching.models import Resource


@pytest.fixture
def providers(db):
    return provider("provider_a"), provider("provider_b")


def test_it_lets_a_provider_keep_its_own_resources_only(api, people, providers):
    mine, theirs = providers
    created = api.post("/api/matching/resources", token=mine.token, json=resource_values(people.home_grid, kind="manpower", serves=["service"]))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["own"] and body["serves"] == ["service", "manpower"] and body["community_code"] == people.home_grid.community.code
    resource_id = body["id"]
    assert Resource.objects.get(pk=resource_id).owner == mine.user
    assert [r["id"] for r in api.get("/api/matching/resources", token=mine.token).json()["items"]] == [resource_id]
    assert api.get("/api/matching/resources", token=theirs.token).json()["items"] == []
    for method, extra in (("get", {}), ("patch", {"json": {"capacity": 9}}), ("delete", {})):
        refused = api.request(method.upper(), f"/api/matching/resources/{resource_id}", token=theirs.token, **extra)
        assert refused.status_code == 404 and refused.json()["detail"] == "未找到该对象" and body["name"] not in str(refused.json())
    assert Resource.objects.get(pk=resource_id).capacity == 2 and Resource.objects.get(pk=resource_id).active
    changed = api.patch(f"/api/matching/resources/{resource_id}", token=mine.token, json={"capacity": 9})
    assert changed.status_code == 200 and changed.json()["capacity"] == 9


def test_officials_see_the_resources_of_their_subtree_and_nothing_else(api, people, providers):
    home = resource_in(people.home_grid, owner=providers[0].user)
    other = resource_in(people.other_grid)
    listed = {r["id"] for r in api.get("/api/matching/resources", token=people.community_official.token).json()["items"]}
    assert home.pk in listed and other.pk not in listed
    assert api.get(f"/api/matching/resources/{other.pk}", token=people.community_official.token).status_code == 404
    district = {r["id"] for r in api.get("/api/matching/resources", token=people.district_official.token).json()["items"]}
    assert {home.pk, other.pk} <= district
    assert api.get("/api/matching/resources", token=people.grid_worker.token).status_code == 403
    assert api.get("/api/matching/resources", token=people.resident.token).status_code == 403


def test_an_official_registers_a_resource_only_inside_their_subtree(api, people):
    outside = api.post("/api/matching/resources", token=people.community_official.token, json=resource_values(people.other_grid))
    assert outside.status_code == 400 and outside.json()["errors"] == [{"field": "lon", "reason": "该位置不在您的管辖范围内"}]
    inside = api.post("/api/matching/resources", token=people.community_official.token, json=resource_values(people.home_grid))
    assert inside.status_code == 201 and not inside.json()["own"]
    moved_out = api.patch(f"/api/matching/resources/{inside.json()['id']}", token=people.community_official.token, json=resource_values(people.other_grid))
    assert moved_out.status_code == 400 and Resource.objects.get(pk=inside.json()["id"]).community_code == people.home_grid.community.code


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "money"}, "kind"),
    ({"serves": ["venue", "nothing"]}, "serves"),
    ({"capacity": 0}, "capacity"),
    ({"weekdays": [0, 8]}, "weekdays"),
    ({"weekdays": []}, "weekdays"),
    ({"opens_at": 18, "closes_at": 8}, "closes_at"),
    ({"lon": 116.4, "lat": 39.9}, "lon"),  # Beijing: not in the district
    ({"provider_kind": "government"}, "provider_kind"),
    ({"name": "  "}, "name"),
])
def test_it_refuses_bad_input_naming_the_field_and_saves_nothing(api, people, change, field):
    before = Resource.objects.count()
    response = api.post("/api/matching/resources", token=people.district_official.token, json=resource_values(people.home_grid, **change))
    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field] and response.json()["errors"][0]["reason"]
    assert Resource.objects.count() == before


def test_non_finite_coordinates_are_refused_not_a_server_error(api, people):
    response = api.post("/api/matching/resources", token=people.district_official.token,
                        data='{"name": "x", "kind": "venue", "provider_kind": "unit", "provider_name": "y", "capacity": 1, "lon": NaN, "lat": 34.7}',
                        headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422) and response.json()["detail"]


def test_withdrawing_keeps_the_resource_but_out_of_matching(api, people, providers):
    resource = resource_in(people.home_grid, owner=providers[0].user)
    response = api.delete(f"/api/matching/resources/{resource.pk}", token=providers[0].token)
    assert response.status_code == 200 and response.json()["active"] is False
    assert Resource.objects.filter(pk=resource.pk, active=False).exists()
