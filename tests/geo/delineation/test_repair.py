"""Working from an existing layer: code carry-over, moved share, and repair."""

import dataclasses
import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.geo.delineation import Existing, Options, delineate
from wangge.geo.delineation.io import result_report, result_to_geojson
from wangge.geo.delineation.synthetic import synthetic_district

from .checks import assert_bounds, assert_tiles


def pushed_out(buildings, grids, share: float, seed: int):
    """Buildings with the households of `share` of the in-bound grids raised by 70 %."""
    rng = np.random.default_rng(seed)
    normal = sorted((g for g in grids if g.in_bounds), key=lambda g: g.code)
    picked = [normal[i] for i in sorted(rng.choice(len(normal), max(1, round(len(normal) * share)), replace=False))]
    raised = {b for g in picked for b in g.buildings}
    changed = [dataclasses.replace(b, households=int(b.households * 1.7)) if b.id in raised else b for b in buildings]
    return changed, {g.code for g in picked}


def test_it_keeps_every_code_when_nothing_changed():
    buildings, communities, barriers = synthetic_district(300, 11)
    first = delineate(buildings, communities, barriers=barriers)
    existing = Existing([(g.code, g.geometry) for g in first.grids])
    again = delineate(buildings, communities, barriers=barriers, existing=existing)
    repaired = delineate(buildings, communities, barriers=barriers, existing=existing, options=Options(repair=True))
    assert again.moved_share == 0.0 and repaired.moved_share == 0.0
    assert first.moved_share is None


def test_it_repairs_only_bad_grids_and_moves_fewer_households_than_a_fresh_run():
    buildings, communities, barriers = synthetic_district(800, 5)
    first = delineate(buildings, communities, barriers=barriers)
    existing = Existing([(g.code, g.geometry) for g in first.grids])
    changed, bad = pushed_out(buildings, first.grids, 0.1, 5)
    options = Options(repair=True)
    repaired = delineate(changed, communities, barriers=barriers, existing=existing, options=options)
    fresh = delineate(changed, communities, barriers=barriers, existing=existing)
    assert_tiles(repaired, communities)
    assert_bounds(repaired, options)
    after = {g.code: sorted(g.buildings) for g in repaired.grids}
    bad_shapes = [g.geometry for g in first.grids if g.code in bad]
    untouched = [g for g in first.grids if g.code not in bad and min(g.geometry.distance(b) for b in bad_shapes) > 1e-9]
    assert len(untouched) > len(first.grids) / 4
    for grid in untouched:
        assert after.get(grid.code) == sorted(grid.buildings), grid.code
    # Neighbours change only where a bad grid cannot meet the bounds on its own.
    changed_codes = {g.code for g in first.grids if after.get(g.code) != sorted(g.buildings)}
    assert len(changed_codes - bad) <= 3 * len(bad)
    assert 0 < repaired.moved_share < fresh.moved_share
    assert repaired.within_bounds_share >= fresh.within_bounds_share - 0.01


def test_it_repairs_deterministically():
    buildings, communities, barriers = synthetic_district(300, 2)
    first = delineate(buildings, communities, barriers=barriers)
    existing = Existing([(g.code, g.geometry) for g in first.grids])
    changed, _ = pushed_out(buildings, first.grids, 0.2, 1)
    runs = [
        delineate(changed, communities, barriers=barriers, existing=existing, options=Options(repair=True, seed=4))
        for _ in range(2)
    ]
    dumped = [json.dumps([result_to_geojson(r), result_report(r)], ensure_ascii=False, sort_keys=True) for r in runs]
    assert dumped[0] == dumped[1]


@settings(max_examples=20, deadline=None)
@given(size=st.integers(150, 500), seed=st.integers(0, 2**31), share=st.sampled_from([0.1, 0.2]))
def test_it_never_touches_grids_away_from_the_bad_ones(size, seed, share):
    buildings, communities, barriers = synthetic_district(size, seed)
    first = delineate(buildings, communities, barriers=barriers)
    existing = Existing([(g.code, g.geometry) for g in first.grids])
    changed, bad = pushed_out(buildings, first.grids, share, seed)
    options = Options(repair=True)
    repaired = delineate(changed, communities, barriers=barriers, existing=existing, options=options)
    assert_tiles(repaired, communities)
    assert_bounds(repaired, options)
    after = {g.code: sorted(g.buildings) for g in repaired.grids}
    bad_shapes = [g.geometry for g in first.grids if g.code in bad]
    for grid in first.grids:
        if grid.code not in bad and min(grid.geometry.distance(b) for b in bad_shapes) > 1e-9:
            assert after.get(grid.code) == sorted(grid.buildings), grid.code


def test_where_repair_cannot_meet_the_bounds_it_says_so_and_a_fresh_run_can():
    # Found by Hypothesis: two pushed-out grids walled in by towers. Repair may change only the
    # bad grids and their neighbours, and there the bounds cannot be met; a fresh run of the
    # whole community meets them.
    buildings, communities, barriers = synthetic_district(360, 524289)
    first = delineate(buildings, communities, barriers=barriers)
    existing = Existing([(g.code, g.geometry) for g in first.grids])
    changed, _ = pushed_out(buildings, first.grids, 0.2, 524289)
    repaired = delineate(changed, communities, barriers=barriers, existing=existing, options=Options(repair=True))
    short = [g for g in repaired.grids if not g.in_bounds and not g.flag.startswith("单栋楼")]
    assert short and all("修复模式只调整越界网格及其相邻网格" in g.flag for g in short)
    fresh = delineate(changed, communities, barriers=barriers)
    community = short[0].community
    assert all(g.in_bounds or g.flag.startswith("单栋楼") for g in fresh.grids if g.community == community)
