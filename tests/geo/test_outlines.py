"""`GET /api/grids/outlines`: the public base map of the basic grids, over real HTTP."""

import gzip

import requests

from wangge.accounts.models import User
from wangge.geo.geometry import shapes
from wangge.geo.models import Grid
from wangge.geo.services import grid_rename

URL = "/api/grids/outlines"


def _active_level3():
    return Grid.objects.filter(layer__is_active=True, level=3).order_by("code")


def test_it_gives_every_basic_grid_its_code_name_and_a_simplified_outline(api, db):
    response = api.get(URL)  # no sign-in
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/geo+json")
    collection = response.json()
    grids = list(_active_level3())
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"] for f in collection["features"]] == [{"code": g.code, "name": g.name} for g in grids]
    for feature, grid in zip(collection["features"], grids, strict=True):
        assert set(feature) == {"type", "properties", "geometry"}
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        drawn, stored = shapes.from_geojson(feature["geometry"]), shapes.from_geojson(grid.geometry)
        # Simplified by a couple of metres: the same place, a few points fewer at most.
        assert drawn.symmetric_difference(stored).area < 0.02 * stored.area
        assert len(shapes.to_geojson(drawn)["coordinates"][0]) <= len(shapes.to_geojson(stored)["coordinates"][0])


def test_it_names_no_one(api, db):
    body = api.get(URL).text
    workers = User.objects.filter(role="grid_worker").exclude(full_name="").values_list("full_name", flat=True)[:50]
    assert workers and not any(name in body for name in workers)
    for key in ("grid_worker", "households", "population", "community", "parent", "id"):
        assert f'"{key}"' not in body


def test_it_is_compressed_for_those_who_accept_gzip(api, db):
    squeezed = api.get(URL, headers={"Accept-Encoding": "gzip"}, stream=True)
    raw = squeezed.raw.read(decode_content=False)
    assert squeezed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in squeezed.headers["Vary"]
    plain = api.get(URL, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(raw) == plain.content and len(raw) < len(plain.content) / 3


def test_it_answers_304_while_nothing_changed_and_a_new_version_after_a_rename(api, db):
    first = api.get(URL)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, no-cache"
    again = requests.get(api.url + URL, headers={"If-None-Match": etag}, timeout=60)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag

    grid = _active_level3().first()
    grid_rename(grid=grid, name="改名后的网格")
    renamed = requests.get(api.url + URL, headers={"If-None-Match": etag}, timeout=60)
    assert renamed.status_code == 200 and renamed.headers["ETag"] != etag
    assert {"code": grid.code, "name": "改名后的网格"} in [f["properties"] for f in renamed.json()["features"]]
