"""The locator: API, command line and bulk CSV, with a fixed rule for points on borders."""

import csv

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from wangge.geo import locator
from wangge.geo.geometry import shapes
from wangge.geo.models import Grid
from wangge.people.models import Building


def _inside(grid: Grid) -> tuple[float, float]:
    point = shapes.from_geojson(grid.geometry).representative_point()
    return point.x, point.y


def test_it_names_the_grids_community_subdistrict_and_worker_of_a_point(api, people):
    grid = people.home_grid
    lon, lat = _inside(grid)
    response = api.get("/api/locate", params={"lon": lon, "lat": lat})
    assert response.status_code == 200
    assert response.json() == {
        "subdistrict": grid.community.parent.code,
        "community": grid.community.code,
        "grids": {"1": grid.parent.parent.code, "2": grid.parent.code, "3": grid.code},
        "grid_worker": _demo_worker(grid.code),
    }


def _demo_worker(code: str) -> str:
    from wangge.accounts.models import User

    return User.objects.filter(scope_code=code, role="grid_worker").order_by("date_joined", "pk").first().full_name


def test_it_answers_404_outside_the_district(api):
    response = api.get("/api/locate", params={"lon": 116.39, "lat": 39.91})
    assert response.status_code == 404
    assert "不在本区的网格内" in response.json()["detail"]


def test_it_refuses_coordinates_that_are_not_numbers(api):
    response = api.get("/api/locate", params={"lon": "东经", "lat": 34.7})
    assert response.status_code == 422
    assert "lon" in response.json()["detail"]


def test_it_resolves_a_shared_border_to_the_lower_code_every_time(db):
    grids = list(Grid.objects.filter(layer__is_active=True, level=3).order_by("code"))
    geometries = {g.code: shapes.from_geojson(g.geometry) for g in grids}
    a = grids[0]
    b = next(g for g in grids[1:] if geometries[a.code].intersection(geometries[g.code]).length > 0)
    border = geometries[a.code].intersection(geometries[b.code])
    vertex = np.array(border.geoms[0].coords[0] if hasattr(border, "geoms") else border.coords[0])
    midpoint = border.interpolate(0.5, normalized=True)
    for lon, lat in (vertex, (midpoint.x, midpoint.y)):
        answers = {locator.locate(lon, lat)["grids"]["3"] for _ in range(3)}
        assert answers == {min(a.code, b.code)}


def test_it_agrees_with_the_buildings_own_grid_for_every_building(db):
    rows = list(Building.objects.values_list("lon", "lat", "grid_code"))
    found = locator.locate_many(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))
    assert [f["grids"]["3"] for f in found] == [r[2] for r in rows]


def test_it_locates_from_the_command_line(db, capsys):
    lon, lat = _inside(Grid.objects.filter(layer__is_active=True, level=3).order_by("code").last())
    call_command("grids", "locate", str(lon), str(lat))
    assert Grid.objects.filter(layer__is_active=True, level=3).order_by("code").last().code in capsys.readouterr().out
    with pytest.raises(CommandError, match="不在本区"):
        call_command("grids", "locate", "0", "0")


def test_it_locates_a_csv_file_in_bulk(db, tmp_path):
    grids = list(Grid.objects.filter(layer__is_active=True, level=3).order_by("code")[:5])
    source, out = tmp_path / "points.csv", tmp_path / "located.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "lon", "lat"])
        for n, grid in enumerate(grids):
            writer.writerow([f"点{n}", *_inside(grid)])
        writer.writerow(["区外", 116.39, 39.91])
    call_command("grids", "locate", "--csv", str(source), "--out", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["grid_3"] for r in rows] == [g.code for g in grids] + [""]
    assert rows[0]["name"] == "点0" and rows[0]["community"] == grids[0].code[:12]


def test_it_names_the_row_of_a_bad_csv_point(db, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("lon,lat\n113.7,34.7\nabc,34.7\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 3 行"):
        call_command("grids", "locate", "--csv", str(source), "--out", str(tmp_path / "o.csv"))


def test_it_builds_the_index_once_and_rebuilds_it_when_the_active_layer_changes(db):
    from tests.geo.layers import active_collection
    from wangge.geo import services

    first = locator.active_index()
    assert locator.active_index() is first
    collection = active_collection()
    for feature in collection["features"]:
        if feature["properties"]["level"] == 3:
            feature["properties"]["code"] = feature["properties"]["code"][:12] + "9" + feature["properties"]["code"][13:]
    layer = services.grid_layer_import(features=services.layer_parse(data=collection), name="新", crs="wgs84")
    services.grid_layer_activate(layer=layer)
    second = locator.active_index()
    assert second is not first and second.layer_id == layer.pk
    assert all(code[12] == "9" for code in second.codes)
