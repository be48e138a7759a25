"""The data scope as a role x object grid: in scope answers, out of scope is 404 everywhere."""

import pytest

from wangge.accounts.scope import Scope, prefix_of
from wangge.geo.models import Division, Grid
from wangge.people.models import Building, GridPost, PartyOrganisation, Person, SocialOrganisation

# persona -> (sees the home grid's objects, sees the other grid's objects)
VISIBILITY = {
    "district_official": (True, True),
    "subdistrict_official": (True, False),
    "community_official": (True, False),
    "grid_worker": (True, False),
    "other_grid_worker": (False, True),
    "resident": (False, False),
}


def _objects(people, which: str) -> dict:
    grid = people.home_grid if which == "home" else people.other_grid
    building = Building.objects.filter(grid_code=grid.code).first()
    return {
        "grid": grid,
        "building": building,
        "community": grid.community,
        "resident": Person.objects.filter(household__building=building).first(),
        "post": GridPost.objects.filter(grid=grid).first(),
        "party": PartyOrganisation.objects.get(grids=grid),
        "social": SocialOrganisation.objects.filter(grids=grid).first(),
    }


def _endpoints(objects: dict) -> list[tuple[str, str, dict | None]]:
    grid, building, community = objects["grid"], objects["building"], objects["community"]
    return [
        ("GET", f"/api/grids/{grid.pk}", None),
        ("PATCH", f"/api/grids/{grid.pk}", {"name": "新名称"}),
        ("GET", f"/api/buildings/{building.pk}", None),
        ("PATCH", f"/api/buildings/{building.pk}", {"households": building.households + 1}),
        ("DELETE", f"/api/buildings/{building.pk}", None),
        ("GET", f"/api/divisions/{community.code}", None),
        ("GET", f"/api/residents/{objects['resident'].pk}", None),
        ("PATCH", f"/api/residents/{objects['resident'].pk}", {"health": "良好"}),
        ("DELETE", f"/api/residents/{objects['resident'].pk}", None),
        ("GET", f"/api/staff/{objects['post'].pk}", None),
        ("DELETE", f"/api/staff/{objects['post'].pk}", None),
        ("GET", f"/api/party-organisations/{objects['party'].pk}", None),
        ("PATCH", f"/api/party-organisations/{objects['party'].pk}", {"name": objects["party"].name}),
        ("DELETE", f"/api/party-organisations/{objects['party'].pk}", None),
        ("GET", f"/api/social-organisations/{objects['social'].pk}", None),
        ("POST", f"/api/social-organisations/{objects['social'].pk}/members", {"id_number": objects["resident"].id_number}),
        ("POST", f"/api/social-organisations/{objects['social'].pk}/activities", {"held_on": "2026-01-05", "title": "活动"}),
    ]


@pytest.mark.parametrize("persona", sorted(VISIBILITY))
@pytest.mark.parametrize("which", ["home", "other"])
def test_it_answers_404_for_every_action_on_an_object_out_of_scope(api, people, persona, which):
    visible = VISIBILITY[persona][0 if which == "home" else 1]
    token = getattr(people, persona).token
    for method, path, payload in _endpoints(_objects(people, which)):
        if method == "GET" and path.startswith("/api/divisions") and persona.endswith("grid_worker"):
            continue  # a grid worker's scope is one grid, below the community
        response = api.request(method, path, token=token, json=payload)
        if visible:
            assert response.status_code in (200, 201, 204, 400, 403), (method, path, response.text)
        else:
            assert response.status_code == 404, (persona, method, path, response.status_code)
            assert response.json()["detail"] == "未找到该对象"


def test_it_leaves_out_of_scope_objects_unchanged(api, people):
    building = Building.objects.filter(grid_code=people.other_grid.code).first()
    api.patch(f"/api/buildings/{building.pk}", token=people.grid_worker.token, json={"households": 1})
    api.delete(f"/api/buildings/{building.pk}", token=people.grid_worker.token)
    assert Building.objects.get(pk=building.pk).households == building.households


def test_it_limits_lists_to_the_scope(api, people):
    grid_codes = {f["properties"]["code"] for f in api.get("/api/grids?level=3", token=people.community_official.token).json()["features"]}
    assert grid_codes == set(Grid.objects.filter(layer__is_active=True, level=3, community=people.home_grid.community).values_list("code", flat=True))
    mine = api.get("/api/grids", token=people.grid_worker.token).json()["features"]
    assert sorted((f["properties"]["level"], f["properties"]["code"]) for f in mine) == [
        (1, people.home_grid.parent.parent.code),
        (2, people.home_grid.parent.code),
        (3, people.home_grid.code),
    ]
    buildings = api.get("/api/buildings?limit=1000", token=people.grid_worker.token).json()
    assert {b["grid_code"] for b in buildings["items"]} == {people.home_grid.code}
    assert buildings["count"] == Building.objects.filter(grid_code=people.home_grid.code).count()
    divisions = api.get("/api/divisions", token=people.subdistrict_official.token).json()
    assert {d["code"][:9] for d in divisions} == {people.home_grid.code[:9]}


def test_it_shows_nothing_to_a_user_without_a_scope(api, people):
    assert api.get("/api/grids", token=people.resident.token).json()["features"] == []
    assert api.get("/api/buildings", token=people.resident.token).json()["count"] == 0


def test_it_requires_authentication(api):
    for path in ("/api/grids", "/api/buildings", "/api/divisions", "/api/grids/layers"):
        assert api.get(path).status_code == 401


def test_it_stops_a_deactivated_users_token_at_once(api, people):
    people.grid_worker.user.is_active = False
    people.grid_worker.user.save()
    assert api.get("/api/grids", token=people.grid_worker.token).status_code == 401


def test_it_derives_the_prefix_from_the_node_code():
    assert prefix_of("410104000000") == "410104"
    assert prefix_of("410104001000") == "410104001"
    assert prefix_of("410104001002") == "410104001002"
    assert prefix_of("410104001002003") == "410104001002003"
    assert prefix_of("") is None and prefix_of("41010400") is None and prefix_of("abc") is None
    assert Scope(None).covers("410104") is False


def test_it_scopes_the_admin_the_same_way(client, people):
    people.community_official.user.is_staff = True
    people.community_official.user.is_superuser = True  # every model permission, still scoped
    people.community_official.user.save()
    client.force_login(people.community_official.user)
    other = Division.objects.filter(kind="community").exclude(pk=people.home_grid.community_id).first()
    assert client.get(f"/admin/geo/division/{people.home_grid.community_id}/change/").status_code == 200
    response = client.get(f"/admin/geo/division/{other.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect
    listing = client.get("/admin/geo/grid/?level__exact=3").content.decode()
    assert people.home_grid.code in listing and people.other_grid.code not in listing
