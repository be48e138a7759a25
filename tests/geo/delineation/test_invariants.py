"""Invariants of the engine on Hypothesis-drawn synthetic districts."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.geo.delineation import Bounds, Options, delineate
from wangge.geo.delineation.io import result_report, result_to_geojson
from wangge.geo.delineation.synthetic import synthetic_district

from .checks import assert_bounds, assert_coverage, assert_tiles

sizes = st.integers(min_value=60, max_value=1200)
seeds = st.integers(min_value=0, max_value=2**31)


@st.composite
def bounds(draw):
    low = draw(st.integers(min_value=150, max_value=400))
    return Bounds(low, low + draw(st.integers(min_value=120, max_value=300)))


def dumps(result) -> str:
    return json.dumps([result_to_geojson(result), result_report(result)], ensure_ascii=False, sort_keys=True)


@settings(max_examples=60, deadline=None)
@given(size=sizes, seed=seeds, band=bounds(), run_seed=st.integers(0, 3))
def test_it_tiles_each_community_with_contiguous_grids_within_bounds(size, seed, band, run_seed):
    buildings, communities, barriers = synthetic_district(size, seed)
    options = Options(bounds=band, seed=run_seed)
    result = delineate(buildings, communities, barriers=barriers, options=options)
    assert_tiles(result, communities)
    assert_bounds(result, options)
    assert sorted(b for g in result.grids for b in g.buildings) == sorted(b.id for b in buildings)
    assert all(0 < g.polsby_popper <= 1 for g in result.grids)


@settings(max_examples=15, deadline=None)
@given(size=sizes, seed=seeds)
def test_it_passes_the_spines_coverage_check(size, seed):
    buildings, communities, barriers = synthetic_district(size, seed)
    result = delineate(buildings, communities, barriers=barriers)
    assert_coverage(result, communities)


@settings(max_examples=15, deadline=None)
@given(size=sizes, seed=seeds, run_seed=st.integers(0, 1000))
def test_it_gives_the_same_bytes_for_the_same_input_and_seed(size, seed, run_seed):
    options = Options(seed=run_seed, overrides={"410104001001": Bounds(200, 400)})
    first = delineate(*synthetic_district(size, seed)[:2], barriers=synthetic_district(size, seed)[2], options=options)
    buildings, communities, barriers = synthetic_district(size, seed)
    second = delineate(list(reversed(buildings)), list(reversed(communities)), barriers=barriers, options=options)
    assert dumps(first) == dumps(second)


def test_it_applies_per_community_overrides():
    buildings, communities, barriers = synthetic_district(300, 7)
    tall = communities[0].code
    options = Options(overrides={tall: Bounds(600, 1000)})
    result = delineate(buildings, communities, barriers=barriers, options=options)
    assert_bounds(result, options)
    mine = [g for g in result.grids if g.community == tall and not g.flag]
    assert mine and all(600 <= g.households <= 1000 for g in mine)


def test_it_reports_progress_once_per_community():
    buildings, communities, barriers = synthetic_district(200, 3)
    seen = []
    delineate(buildings, communities, barriers=barriers, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i + 1, len(communities)) for i in range(len(communities))]
