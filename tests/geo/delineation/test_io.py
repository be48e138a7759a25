"""GeoJSON in and out: parsing, Chinese errors naming the row and field, stable output."""

import json

import pytest
from shapely.geometry import mapping

from wangge.geo.delineation import Existing, Options, delineate
from wangge.geo.delineation.io import (
    barriers_from_geojson,
    buildings_from_geojson,
    communities_from_geojson,
    existing_from_geojson,
    result_report,
    result_to_geojson,
)
from wangge.geo.delineation.synthetic import synthetic_district


def collections(size: int, seed: int):
    buildings, communities, barriers = synthetic_district(size, seed)
    fc = lambda features: {"type": "FeatureCollection", "features": features}  # noqa: E731
    return (
        fc([{"type": "Feature", "properties": {"id": b.id, "households": b.households, "population": b.population},
             "geometry": {"type": "Point", "coordinates": [b.lon, b.lat]}} for b in buildings]),
        fc([{"type": "Feature", "properties": {"code": c.code}, "geometry": mapping(c.geometry)} for c in communities]),
        fc([{"type": "Feature", "properties": {}, "geometry": mapping(line)} for line in barriers]),
    )


def test_it_reads_geojson_and_writes_the_same_bytes_twice():
    b, c, r = collections(250, 4)
    runs = []
    for _ in range(2):
        result = delineate(buildings_from_geojson(b), communities_from_geojson(c), barriers=barriers_from_geojson(r))
        runs.append(json.dumps([result_to_geojson(result), result_report(result)], ensure_ascii=False, sort_keys=True))
    assert runs[0] == runs[1]
    out = json.loads(runs[0])[0]
    codes = [f["properties"]["code"] for f in out["features"]]
    assert codes == sorted(codes)
    report = json.loads(runs[0])[1]
    assert report["totals"]["moved_share"] is None
    assert report["totals"]["grids"] == len(codes)
    assert set(report["grids"][0]) >= {"code", "community", "households", "population", "polsby_popper", "crossings"}


def test_it_reads_an_existing_layer_back_from_its_own_output():
    b, c, r = collections(250, 4)
    buildings, communities = buildings_from_geojson(b), communities_from_geojson(c)
    first = delineate(buildings, communities, barriers=barriers_from_geojson(r))
    existing = existing_from_geojson(result_to_geojson(first))
    assert isinstance(existing, Existing) and len(existing.grids) == len(first.grids)
    again = delineate(buildings, communities, barriers=barriers_from_geojson(r), existing=existing, options=Options(repair=True))
    assert again.moved_share == 0.0
    assert result_report(again)["totals"]["moved_share"] == 0.0


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"id": "A", "population": 3}, "楼栋第 1 条：households 应为非负整数"),
        ({"id": "A", "households": -1, "population": 3}, "楼栋第 1 条：households 应为非负整数"),
        ({"id": "A", "households": 3, "population": "x"}, "楼栋第 1 条：population 应为非负整数"),
        ({"households": 3, "population": 3}, "楼栋第 1 条：id 缺失或重复"),
    ],
)
def test_it_names_the_row_and_field_of_bad_buildings(properties, message):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": properties, "geometry": {"type": "Point", "coordinates": [113.68, 34.75]}}]}
    with pytest.raises(ValueError, match=message):
        buildings_from_geojson(fc)


def test_it_names_bad_community_codes_and_geometries():
    square = {"type": "Polygon", "coordinates": [[[113.68, 34.75], [113.69, 34.75], [113.69, 34.76], [113.68, 34.75]]]}
    with pytest.raises(ValueError, match="社区第 1 条：code 应为不重复的 12 位区划代码"):
        communities_from_geojson({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": "4101"}, "geometry": square}]})
    with pytest.raises(ValueError, match="障碍线第 1 条：geometry 应为 LineString 或 MultiLineString"):
        barriers_from_geojson({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": square}]})
    with pytest.raises(ValueError, match="现有网格：应为 GeoJSON FeatureCollection"):
        existing_from_geojson([])
