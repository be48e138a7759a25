"""Shared assertions on delineation results."""

import shapely

from wangge.geo.geometry.coverage import Cell, check_coverage
from wangge.geo.geometry.transform import area_m2


def assert_tiles(result, communities) -> None:
    """Each community is tiled by its grids: no gap, no overlap, each grid one Polygon."""
    by_code = {c.code: c for c in communities}
    for community in communities:
        grids = [g for g in result.grids if g.community == community.code]
        assert grids, community.code
        geometries = [g.geometry for g in grids]
        union = shapely.union_all(geometries)
        assert abs(area_m2([union])[0] - area_m2([community.geometry])[0]) < 1.0
        assert area_m2([shapely.symmetric_difference(union, community.geometry)])[0] < 1.0
        tree = shapely.STRtree(geometries)
        left, right = tree.query(geometries, predicate="intersects")
        pairs = left < right
        overlaps = shapely.intersection(
            [geometries[i] for i in left[pairs]], [geometries[j] for j in right[pairs]]
        )
        assert all(a < 1.0 for a in area_m2(list(overlaps)))
    for grid in result.grids:
        assert grid.community in by_code
        if "飞地" not in grid.flag:
            assert grid.geometry.geom_type == "Polygon", (grid.code, grid.flag)
    assert len({g.code for g in result.grids}) == len(result.grids)
    assert all(len(g.code) == 15 and g.code.startswith(g.community) for g in result.grids)


def assert_coverage(result, communities) -> None:
    cells = [Cell(c.code, 2, "", c.geometry) for c in communities]
    cells += [Cell(g.code, 3, g.community, g.geometry) for g in result.grids]
    district = shapely.union_all([c.geometry for c in communities])
    report = check_coverage(cells, district=district, district_code="410104")
    assert report["seamless"], report


def assert_bounds(result, options) -> None:
    """Every grid within its bounds unless flagged with a reason the input explains."""
    for grid in result.grids:
        bounds = options.bounds_for(grid.community)
        assert grid.in_bounds == (bounds.min <= grid.households <= bounds.max)
        if not grid.in_bounds:
            assert grid.flag
            if "未找到可行划分" in grid.flag:
                # Only where an over-large building walls the grid in (bounds cannot be met there).
                towers = [t.geometry for t in result.grids if t.community == grid.community and t.flag.startswith("单栋楼")]
                assert any(grid.geometry.distance(t) < 1e-9 for t in towers), grid.flag
    flagged = {(e["community"], e["reason"]) for e in result.infeasible}
    assert all((g.community, g.flag) in flagged for g in result.grids if g.flag)
