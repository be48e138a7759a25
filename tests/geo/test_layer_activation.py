"""Activating a layer: only a seamless layer, exactly one active, the old one kept."""

from tests.geo.layers import active_collection, body, first_level3
from wangge.geo.geometry import shapes
from wangge.geo.models import Division, Grid, GridLayer, GridLayerActivation
from wangge.people.models import Building


def _import(api, people, collection: dict) -> int:
    response = api.post("/api/grids/layers", token=people.district_official.token, data=body(collection))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_it_activates_a_seamless_layer_and_keeps_the_old_one(api, people):
    old = GridLayer.objects.get(is_active=True)
    old_grid = old.grids.filter(level=3).first()
    collection = active_collection()
    i = first_level3(collection)
    collection["features"][i]["properties"]["name"] = "改名后的网格"
    new_id = _import(api, people, collection)

    response = api.post(f"/api/grids/layers/{new_id}/activate?reason=年度调整", token=people.district_official.token)

    assert response.status_code == 200, response.text
    assert response.json()["is_active"] is True
    assert list(GridLayer.objects.filter(is_active=True).values_list("pk", flat=True)) == [new_id]
    assert Grid.objects.filter(pk=old_grid.pk, layer=old).exists(), "the old layer's grids stay"
    assert api.get(f"/api/grids/{old_grid.pk}", token=people.district_official.token).json()["layer_id"] == old.pk
    record = GridLayerActivation.objects.get(layer_id=new_id)
    assert (record.previous, record.actor, record.reason) == (old, people.district_official.user, "年度调整")
    located = api.get("/api/locate", params=_inside(collection["features"][i])).json()
    assert located["grids"]["3"] == collection["features"][i]["properties"]["code"]


def _inside(feature: dict) -> dict:
    point = shapes.from_geojson(feature["geometry"]).representative_point()
    return {"lon": point.x, "lat": point.y}


def test_it_refuses_to_activate_a_layer_with_a_gap(api, people):
    collection = active_collection()
    i = first_level3(collection)
    removed = collection["features"].pop(i)
    new_id = _import(api, people, collection)

    response = api.post(f"/api/grids/layers/{new_id}/activate", token=people.district_official.token)

    assert response.status_code == 409
    report = response.json()
    assert report["seamless"] is False and "detail" in report
    [gap] = report["gaps"]
    assert gap["parent"] == removed["properties"]["parent"]
    assert abs(gap["area_m2"] - shapes.area_m2(removed["geometry"])) < 1.0
    assert not GridLayer.objects.get(pk=new_id).is_active


def test_it_reports_overlaps_between_siblings_and_parts_outside_the_parent(api, people):
    collection = active_collection()
    outline = shapes.from_geojson(Division.objects.get(kind="district").geometry)
    by_code = {f["properties"]["code"]: shapes.from_geojson(f["geometry"]) for f in collection["features"]}
    # A community-level grid on its subdistrict's border, away from the district's edge,
    # grown by about 50 m: it now overlaps its neighbours and leaves its parent.
    i, grown = next(
        (i, grown)
        for i, f in enumerate(collection["features"])
        if f["properties"]["level"] == 2
        and outline.contains(grown := by_code[f["properties"]["code"]].buffer(0.0005))
        and not by_code[f["properties"]["parent"]].contains(grown)
    )
    collection["features"][i]["geometry"] = shapes.to_geojson(grown)
    code = collection["features"][i]["properties"]["code"]
    new_id = _import(api, people, collection)

    report = api.get(f"/api/grids/layers/{new_id}/coverage", token=people.district_official.token).json()

    assert report["seamless"] is False
    assert any(code in o["grids"] and o["area_m2"] > 1 for o in report["overlaps"])
    assert [o["grid"] for o in report["outside"]] == [code]


def test_it_finds_the_demo_layer_seamless(api, people):
    layer = GridLayer.objects.get(is_active=True)
    report = api.get(f"/api/grids/layers/{layer.pk}/coverage", token=people.district_official.token).json()
    assert report == {"seamless": True, "gaps": [], "overlaps": [], "outside": []}


def test_it_moves_buildings_to_the_grids_of_the_new_layer(api, people):
    collection = active_collection()
    renumbered = {}
    for feature in collection["features"]:
        if feature["properties"]["level"] == 3:
            old_code = feature["properties"]["code"]
            new_code = old_code[:12] + f"{900 - int(old_code[12:]):03d}"
            renumbered[old_code] = new_code
            feature["properties"]["code"] = new_code
    new_id = _import(api, people, collection)
    building = Building.objects.exclude(grid_code="").first()
    before = building.grid_code

    assert api.post(f"/api/grids/layers/{new_id}/activate", token=people.district_official.token).status_code == 200

    building.refresh_from_db()
    assert building.grid_code == renumbered[before]
    new_grid = Grid.objects.get(layer_id=new_id, code=renumbered[before])
    assert new_grid.households == Grid.objects.get(layer__activations__previous__isnull=False, code=renumbered[before]).households


def test_it_lets_only_district_officials_activate(api, people):
    layer = GridLayer.objects.get(is_active=True)
    for person in (people.subdistrict_official, people.grid_worker, people.department_handler):
        response = api.post(f"/api/grids/layers/{layer.pk}/activate", token=person.token)
        assert response.status_code == 403


def test_it_lists_layers_with_their_grid_counts(api, people):
    layers = api.get("/api/grids/layers", token=people.community_official.token).json()
    active = [layer for layer in layers if layer["is_active"]]
    assert len(active) == 1
    assert active[0]["grids_by_level"] == {"1": 13, "2": 138, "3": 564}


def test_it_exports_a_layer_that_imports_again_unchanged(api, people):
    layer = GridLayer.objects.get(is_active=True)
    exported = api.get(f"/api/grids/layers/{layer.pk}/geojson", token=people.district_official.token).json()
    new_id = _import(api, people, exported)
    before = dict(layer.grids.values_list("code", "geometry"))
    after = dict(GridLayer.objects.get(pk=new_id).grids.values_list("code", "geometry"))
    assert before == after
