"""Buildings: located into their grid on every write, grid counts follow, bad input refused."""

from wangge.geo.geometry import shapes
from wangge.geo.models import Grid
from wangge.people.models import Building, Person
from wangge.people.services.persons import resident_move_out


def _point_in(grid: Grid) -> dict:
    point = shapes.from_geojson(grid.geometry).representative_point()
    return {"lon": point.x, "lat": point.y}


def _sums(grid: Grid) -> tuple[int, int]:
    rows = Building.objects.filter(grid_code=grid.code).values_list("households", "population")
    return sum(r[0] for r in rows), sum(r[1] for r in rows)


def test_it_places_a_new_building_in_its_grid_and_updates_the_counts(api, people):
    grid = people.home_grid
    payload = {"community_code": grid.community.code, "name": "新楼", "compound": "测试路1号院", "households": 40, "population": 101, **_point_in(grid)}
    response = api.post("/api/buildings", token=people.grid_worker.token, json=payload)
    assert response.status_code == 201, response.text
    assert response.json()["grid_code"] == grid.code
    community = grid.community
    assert response.json()["address"] == f"{community.parent.parent.name}{community.parent.name}{community.name}测试路1号院新楼"
    grid.refresh_from_db()
    assert (grid.households, grid.population) == _sums(grid)
    grid.parent.refresh_from_db()
    children = Grid.objects.filter(parent=grid.parent)
    assert grid.parent.households == sum(c.households for c in children)


def test_it_refuses_a_building_outside_the_workers_grid(api, people):
    payload = {"community_code": people.other_grid.community.code, "name": "楼", **_point_in(people.other_grid)}
    response = api.post("/api/buildings", token=people.grid_worker.token, json=payload)
    assert response.status_code == 404  # the other community is out of the worker's scope
    count = Building.objects.count()
    payload["community_code"] = people.home_grid.community.code
    response = api.post("/api/buildings", token=people.grid_worker.token, json=payload)
    assert response.status_code == 400
    assert Building.objects.count() == count


def test_it_names_the_field_of_bad_input(api, people):
    grid = people.home_grid
    payload = {"community_code": grid.community.code, "name": "楼", "lon": 116.39, "lat": 39.91}
    response = api.post("/api/buildings", token=people.district_official.token, json=payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "lon"
    assert "不在本区任何网格内" in response.json()["detail"]
    payload.update(_point_in(grid), households=-3)
    response = api.post("/api/buildings", token=people.district_official.token, json=payload)
    assert response.status_code == 400
    assert any(e["field"] == "households" for e in response.json()["errors"])


def test_it_refuses_a_building_filed_under_another_community(api, people):
    other_community = people.other_grid.community
    payload = {"community_code": other_community.code, "name": "楼", **_point_in(people.home_grid)}
    response = api.post("/api/buildings", token=people.district_official.token, json=payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "community"


def test_it_moves_and_deletes_a_building_with_the_counts_following(api, people):
    building = Building.objects.filter(grid_code=people.home_grid.code).first()
    target = Grid.objects.filter(layer__is_active=True, level=3, community=people.home_grid.community).exclude(pk=people.home_grid.pk).first()
    response = api.patch(f"/api/buildings/{building.pk}", token=people.community_official.token, json=_point_in(target))
    assert response.status_code == 200 and response.json()["grid_code"] == target.code
    target.refresh_from_db()
    assert (target.households, target.population) == _sums(target)
    refused = api.delete(f"/api/buildings/{building.pk}", token=people.community_official.token)
    assert refused.status_code == 400 and "居民" in refused.json()["detail"]
    assert Building.objects.filter(pk=building.pk).exists()
    for resident in Person.objects.filter(household__building=building):
        resident_move_out(person=resident)
    assert api.delete(f"/api/buildings/{building.pk}", token=people.community_official.token).status_code == 204
    target.refresh_from_db()
    assert (target.households, target.population) == _sums(target)


def test_it_lets_residents_not_edit(api, people):
    building = Building.objects.filter(grid_code=people.home_grid.code).first()
    people.resident.user.scope_code = people.home_grid.code
    people.resident.user.save()
    assert api.patch(f"/api/buildings/{building.pk}", token=people.resident.token, json={"households": 1}).status_code == 403
