"""POST /api/grids/layers: a valid layer is saved; every kind of bad input is refused whole."""

import copy

import numpy as np
import pytest

from tests.geo.layers import active_collection, body, first_level3
from wangge.geo.geometry.transform import wgs84_to_gcj02
from wangge.geo.models import Grid, GridLayer


def _post(api, people, data: bytes, query: str = ""):
    return api.post(f"/api/grids/layers{query}", token=people.district_official.token, data=data, headers={"Content-Type": "application/geo+json"})


def _refused(api, people, data: bytes, query: str = "") -> dict:
    layers, grids = GridLayer.objects.count(), Grid.objects.count()
    response = _post(api, people, data, query)
    assert response.status_code == 400, response.text
    assert (GridLayer.objects.count(), Grid.objects.count()) == (layers, grids), "nothing may be saved"
    answer = response.json()
    assert set(answer) >= {"detail", "errors"}
    return answer


def _reason(answer: dict, feature: int) -> str:
    return " ".join(e["reason"] for e in answer["errors"] if e["feature"] == feature)


def test_it_saves_a_valid_layer_as_a_new_inactive_layer(api, people):
    response = _post(api, people, body(active_collection()), "?name=新图层")
    assert response.status_code == 201, response.text
    layer = GridLayer.objects.get(pk=response.json()["id"])
    assert not layer.is_active and layer.name == "新图层"
    assert {lv: layer.grids.filter(level=lv).count() for lv in (1, 2, 3)} == {1: 13, 2: 138, 3: 564}
    assert layer.grids.filter(level=3, community__isnull=True).count() == 0


def test_it_converts_gcj02_on_the_way_in(api, people):
    collection = active_collection()
    original = copy.deepcopy(collection["features"][first_level3(collection)]["geometry"]["coordinates"][0])
    for feature in collection["features"]:
        rings = feature["geometry"]["coordinates"]
        polygons = [rings] if feature["geometry"]["type"] == "Polygon" else rings
        for polygon in polygons:
            for ring in polygon:
                lon, lat = wgs84_to_gcj02([p[0] for p in ring], [p[1] for p in ring])
                ring[:] = [[float(x), float(y)] for x, y in zip(lon, lat, strict=True)]
    shifted = collection["features"][first_level3(collection)]
    assert abs(shifted["geometry"]["coordinates"][0][0][0] - original[0][0]) > 1e-4  # GCJ-02 moves points by hundreds of metres
    response = _post(api, people, body(collection), "?crs=gcj02")
    assert response.status_code == 201, response.text
    stored = Grid.objects.get(layer_id=response.json()["id"], code=shifted["properties"]["code"]).geometry["coordinates"][0]
    assert np.allclose(np.array(stored), np.array(original), atol=1e-7)


def test_it_refuses_a_self_intersecting_polygon(api, people):
    collection = active_collection()
    i = first_level3(collection)
    ring = collection["features"][i]["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]
    ring[0], ring[1] = ring[1], ring[0]
    ring[-1] = ring[0]
    assert "自相交" in _reason(_refused(api, people, body(collection)), i)


def _self_intersect(collection: dict, i: int) -> None:
    ring = collection["features"][i]["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]
    ring[0], ring[1] = ring[1], ring[0]
    ring[-1] = ring[0]


def _swap_coordinates(collection: dict, i: int) -> None:
    ring = collection["features"][i]["geometry"]["coordinates"][0]
    collection["features"][i]["geometry"]["coordinates"][0] = [[lat, lon] for lon, lat in ring]


def test_it_reports_every_bad_feature_in_one_answer_naming_each(api, people):
    collection = active_collection()
    i = first_level3(collection)
    j = i + 5
    _self_intersect(collection, i)
    _swap_coordinates(collection, j)
    answer = _refused(api, people, body(collection))
    assert "自相交" in _reason(answer, i)
    assert "经纬度顺序颠倒" in _reason(answer, j)
    assert {e["feature"] for e in answer["errors"]} == {i, j}
    codes = {e["feature"]: e["code"] for e in answer["errors"]}
    assert codes == {k: collection["features"][k]["properties"]["code"] for k in (i, j)}
    assert "2 个要素" in answer["detail"]


def test_it_refuses_an_unclosed_ring(api, people):
    collection = active_collection()
    i = first_level3(collection)
    collection["features"][i]["geometry"]["coordinates"][0].pop()
    assert "未闭合" in _reason(_refused(api, people, body(collection)), i)


def test_it_refuses_a_ring_with_too_few_points(api, people):
    collection = active_collection()
    i = first_level3(collection)
    ring = collection["features"][i]["geometry"]["coordinates"][0]
    collection["features"][i]["geometry"]["coordinates"][0] = [ring[0], ring[1], ring[0]]
    assert "至少需要 4 个点" in _reason(_refused(api, people, body(collection)), i)


def test_it_refuses_swapped_longitude_and_latitude(api, people):
    collection = active_collection()
    i = first_level3(collection)
    ring = collection["features"][i]["geometry"]["coordinates"][0]
    collection["features"][i]["geometry"]["coordinates"][0] = [[lat, lon] for lon, lat in ring]
    assert "经纬度顺序颠倒" in _reason(_refused(api, people, body(collection)), i)


def test_it_refuses_a_grid_outside_the_district(api, people):
    collection = active_collection()
    i = first_level3(collection)
    ring = collection["features"][i]["geometry"]["coordinates"][0]
    collection["features"][i]["geometry"]["coordinates"] = [[[lon + 0.5, lat] for lon, lat in ring]]
    assert "超出区界" in _reason(_refused(api, people, body(collection)), i)


def test_it_refuses_a_child_whose_parent_is_missing(api, people):
    collection = active_collection()
    i = first_level3(collection)
    collection["features"][i]["properties"]["parent"] = "999999999999000"
    assert "不在本图层中" in _reason(_refused(api, people, body(collection)), i)


def test_it_refuses_a_parent_of_the_wrong_level(api, people):
    collection = active_collection()
    i = first_level3(collection)
    level1 = next(f for f in collection["features"] if f["properties"]["level"] == 1)
    collection["features"][i]["properties"]["parent"] = level1["properties"]["code"]
    assert "应为 2 级" in _reason(_refused(api, people, body(collection)), i)


def test_it_refuses_a_level1_grid_with_a_parent(api, people):
    collection = active_collection()
    collection["features"][0]["properties"]["parent"] = collection["features"][1]["properties"]["code"]
    assert "一级网格的上级" in _reason(_refused(api, people, body(collection)), 0)


def test_it_refuses_duplicate_codes(api, people):
    collection = active_collection()
    i = first_level3(collection)
    collection["features"][i + 1]["properties"]["code"] = collection["features"][i]["properties"]["code"]
    assert "重复" in _reason(_refused(api, people, body(collection)), i + 1)


def test_it_refuses_a_level3_code_outside_any_community(api, people):
    collection = active_collection()
    i = first_level3(collection)
    collection["features"][i]["properties"]["code"] = "410104999999001"
    assert "不是本区的社区代码" in _reason(_refused(api, people, body(collection)), i)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b"", "请求体为空"),
        (b'{"type": "FeatureCollection", "features": []}', "图层为空"),
        (b'{"type": "Feature"}', "FeatureCollection"),
    ],
)
def test_it_refuses_a_body_that_is_not_a_layer(api, people, data, expected):
    assert expected in _refused(api, people, data)["detail"]


def test_it_refuses_an_oversized_body(api, people, settings):
    settings.WANGGE_MAX_LAYER_BYTES = 10_000
    assert "超过上限" in _refused(api, people, body(active_collection()))["detail"]


def test_it_refuses_an_unknown_crs(api, people):
    assert "坐标系" in _refused(api, people, body(active_collection()), "?crs=bd09")["detail"]


def test_it_lets_only_district_officials_import(api, people):
    for person in (people.community_official, people.grid_worker, people.resident):
        response = api.post("/api/grids/layers", token=person.token, data=body(active_collection()))
        assert response.status_code == 403
    assert api.post("/api/grids/layers", data=b"{}").status_code == 401
