"""Invariants of the geometry engine, checked on generated input with Hypothesis."""

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.geo.codes import reading_order
from wangge.geo.geometry import partition
from wangge.geo.geometry.coverage import Cell, check_coverage
from wangge.geo.geometry.index import GridIndex, exact_locate
from wangge.geo.geometry.transform import area_m2, gcj02_to_wgs84, to_metric, wgs84_to_gcj02

china_lon = st.floats(min_value=73.0, max_value=135.0)
china_lat = st.floats(min_value=18.0, max_value=53.0)


@given(china_lon, china_lat)
def test_gcj02_round_trip_returns_to_within_a_centimetre(lon, lat):
    glon, glat = wgs84_to_gcj02([lon], [lat])
    back_lon, back_lat = gcj02_to_wgs84(glon, glat)
    assert abs(back_lon[0] - lon) < 1e-7 and abs(back_lat[0] - lat) < 1e-7


def _square() -> dict:
    return shapely.geometry.mapping(shapely.box(113.70, 34.70, 113.72, 34.72))


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=2, max_value=12), st.integers(min_value=0, max_value=10_000))
def test_a_split_is_seamless_and_losing_a_part_leaves_a_gap_of_its_size(parts, seed):
    outline = _square()
    pieces = partition.split(outline, parts, np.random.default_rng(seed), density=lambda x, y: np.ones_like(x), samples=500)
    district = shapely.geometry.shape(outline)
    # Basic (level-3) cells directly under the outline: only the outline must be tiled.
    cells = [Cell(f"C{i:02d}", 3, "", shapely.geometry.shape(p)) for i, p in enumerate(pieces)]
    assert check_coverage(cells, district=district, district_code="D")["seamless"]
    report = check_coverage(cells[1:], district=district, district_code="D")
    assert abs(sum(g["area_m2"] for g in report["gaps"]) - area_m2([cells[0].geometry])[0]) < 1.0
    assert not report["overlaps"] and not report["outside"]


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=2, max_value=10), st.integers(min_value=0, max_value=10_000))
def test_the_lookup_table_agrees_with_the_exact_query_everywhere(parts, seed):
    rng = np.random.default_rng(seed)
    pieces = [shapely.geometry.shape(p) for p in partition.split(_square(), parts, rng, density=lambda x, y: np.ones_like(x), samples=500)]
    lon, lat = rng.uniform(113.695, 113.725, 5000), rng.uniform(34.695, 34.725, 5000)
    # Add points exactly on the parts' vertices, where borders meet.
    vertices = shapely.get_coordinates(np.array(pieces, dtype=object))
    lon, lat = np.concatenate([lon, vertices[:, 0]]), np.concatenate([lat, vertices[:, 1]])
    assert np.array_equal(GridIndex(pieces, table_size=64).locate(lon, lat), exact_locate(pieces, lon, lat))


@given(st.lists(st.tuples(st.floats(113, 114), st.floats(34, 35)), max_size=30))
def test_reading_order_is_a_permutation_from_north_to_south(centroids):
    order = reading_order(centroids)
    assert sorted(order) == list(range(len(centroids)))
    if order:
        assert centroids[order[0]][1] >= min(lat for _, lat in centroids)


def test_area_on_the_ellipsoid_agrees_with_the_gauss_kruger_projection():
    square = shapely.box(113.70, 34.70, 113.72, 34.72)
    assert abs(area_m2([square])[0] / to_metric(square).area - 1) < 1e-4
