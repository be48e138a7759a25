"""Infeasible and degenerate input gives flagged grids and report entries, never a crash."""

import shapely

from wangge.geo.delineation import Building, Community, Options, delineate
from wangge.geo.delineation.io import result_report
from wangge.geo.geometry.transform import lonlat_points, metric_points

from .checks import assert_bounds, assert_coverage, assert_tiles

X0, Y0 = (float(v) for v in metric_points(113.68, 34.75))


def square(x: float, y: float, w: float, h: float) -> shapely.Polygon:
    lon, lat = lonlat_points([X0 + x, X0 + x + w, X0 + x + w, X0 + x], [Y0 + y, Y0 + y, Y0 + y + h, Y0 + y + h])
    return shapely.Polygon(list(zip(lon, lat, strict=True)))


def building(name: str, x: float, y: float, households: int) -> Building:
    lon, lat = lonlat_points(X0 + x, Y0 + y)
    return Building(name, float(lon), float(lat), households, households * 3)


def row(prefix: str, count: int, households: int, x0=10.0, y0=10.0, step=20.0, per_row=10):
    return [building(f"{prefix}{i}", x0 + step * (i % per_row), y0 + step * (i // per_row), households) for i in range(count)]


def reasons(result) -> list[str]:
    return [e["reason"] for e in result.infeasible]


def test_it_makes_a_small_community_one_flagged_grid():
    community = Community("410104001001", square(0, 0, 200, 200))
    result = delineate(row("B", 5, 50), [community])
    (grid,) = result.grids
    assert grid.households == 250 and not grid.in_bounds
    assert grid.flag == "社区共 250 户，少于每格下限 300 户"
    assert reasons(result) == [grid.flag]
    assert_tiles(result, [community])


def test_it_flags_an_island_of_buildings():
    mainland = square(0, 0, 400, 400)
    island = square(600, 0, 100, 100)
    community = Community("410104001001", shapely.MultiPolygon([mainland, island]))
    buildings = row("B", 40, 40, step=35) + [building("I1", 630, 30, 50), building("I2", 670, 60, 40)]
    result = delineate(buildings, [community])
    flagged = [g for g in result.grids if g.flag]
    assert [g.flag for g in flagged] == ["孤立片区共 90 户，少于每格下限 300 户"]
    assert sorted(flagged[0].buildings) == ["I1", "I2"]
    assert_tiles(result, [community])
    assert_bounds(result, Options())


def test_it_gives_an_over_large_high_rise_its_own_grid():
    community = Community("410104001001", square(0, 0, 400, 400))
    buildings = row("B", 20, 40, step=35) + [building("T", 300, 300, 600)]
    result = delineate(buildings, [community])
    tower = next(g for g in result.grids if "T" in g.buildings)
    assert tower.buildings == ["T"] and tower.flag == "单栋楼 600 户，超过每格上限 500 户"
    assert all(g.in_bounds for g in result.grids if g is not tower)
    assert_tiles(result, [community])


def test_it_covers_a_community_without_buildings_with_one_flagged_grid():
    empty = Community("410104001002", square(200, 0, 200, 200))
    full = Community("410104001001", square(0, 0, 200, 200))
    result = delineate(row("B", 8, 50), [full, empty])
    (grid,) = [g for g in result.grids if g.community == empty.code]
    assert grid.flag == "无楼栋" and grid.households == 0 and grid.code == "410104001002001"
    assert shapely.equals(grid.geometry, empty.geometry)
    assert_coverage(result, [full, empty])


def test_it_survives_degenerate_buildings():
    community = Community("410104001001", square(0, 0, 300, 300))
    buildings = [
        building("A", 50, 50, 100), building("B", 50, 50, 100),  # the same point
        building("C", 0, 150, 100),  # on the border
        building("D", 150, 150, 0), building("E", 250, 250, 150),
        building("F", 150, 100, 150),
        building("Z", 900, 900, 80),  # outside every community
    ]
    result = delineate(buildings, [community])
    assert sorted(b for g in result.grids for b in g.buildings) == ["A", "B", "C", "D", "E", "F"]
    assert {"community": "", "reason": "楼栋不在任何社区内", "buildings": ["Z"]} in result.infeasible
    assert_tiles(result, [community])
    assert_bounds(result, Options())
    result_report(result)


def test_it_handles_one_building_and_all_zero_households():
    one = Community("410104001001", square(0, 0, 100, 100))
    zero = Community("410104001002", square(100, 0, 100, 100))
    result = delineate([building("A", 50, 50, 30)] + row("Z", 4, 0, x0=120), [one, zero])
    assert len(result.grids) == 2
    assert all(g.flag for g in result.grids)
    assert_tiles(result, [one, zero])
