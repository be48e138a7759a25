"""The data scope: lists, deny by default, authentication, the prefix, the admin. The role x
object x endpoint matrix is generated from the schema in test_scope_matrix."""

from wangge.geo.models import Division, Grid
from wangge.geo.scope import Scope, prefix_of
from wangge.people.models import Building


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
