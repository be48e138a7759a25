"""Benchmark: the locator's point-in-grid lookup (GridIndex) against two anchors.

Run from the project root:

    .venv/bin/python benchmarks/bench_locator.py

Input: the demo district's 564 level-3 grids sorted by code (as geo.locator builds its index,
through the same GeoJSON -> Shapely conversion), and 1,000,000 points drawn uniformly at random
(fixed seed) in the layer's bounding box; about 60 % of them fall inside the district.

Measured (best of 3 runs each, same points, same run)
  ours:     GridIndex(geometries).locate(lon, lat); the index build is timed separately and
            left out of the throughput.
  anchor 1: "bare vectorised STRtree query":
                tree.query(shapely.points(lon, lat), predicate="intersects")
            on a prebuilt shapely.STRtree(geometries); creating the points is included (ours
            must do that too), reducing the pairs to one grid per point is not.
  anchor 2: "plain Shapely point-by-point loop", on the first 20,000 points, extrapolated:
                for x, y in zip(lon, lat):
                    hits = tree.query(shapely.Point(x, y), predicate="intersects")
                    found.append(int(hits.min()) if len(hits) else -1)

Check: GridIndex.locate equals exact_locate (the exact query with the same lowest-index rule
for points on a shared border) on all points, and the loop's answers on its sample.

Goals (from the issue): at least 1,000,000 points/s, and ours_time <= 1.5 x the bare STRtree
query's time.

This is not a test; pytest does not collect it (file name bench_*.py, outside tests/).
"""

import argparse

import numpy as np
import shapely

from common import best_of, machine_line
from wangge.demo.generator import generate
from wangge.geo.geometry.index import NO_GRID, GridIndex, exact_locate
from wangge.geo.geometry.shapes import from_geojson, many_from_geojson

SEED = 20240501
REPEAT = 3
GOAL_POINTS_PER_S = 1_000_000
GOAL_RATIO = 1.5




def built_strtree(geometries):
    """A shapely.STRtree, really built (GEOS builds the tree lazily, at its first query)."""
    tree = shapely.STRtree(geometries)
    tree.query(shapely.Point(0, 0))
    return tree


def bare_strtree(tree, lon, lat):
    return tree.query(shapely.points(lon, lat), predicate="intersects")


def point_loop(tree, lon, lat) -> np.ndarray:
    found = []
    for x, y in zip(lon.tolist(), lat.tolist(), strict=True):
        hits = tree.query(shapely.Point(x, y), predicate="intersects")
        found.append(int(hits.min()) if len(hits) else NO_GRID)
    return np.array(found, dtype=np.int64)


def rate(points: int, seconds: float) -> str:
    return f"{points / seconds:>13,.0f} points/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000, help="random points (default 1,000,000)")
    parser.add_argument("--loop-points", type=int, default=20_000, help="points for the point-by-point loop (default 20,000)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed runs per measurement; the best counts")
    args = parser.parse_args()
    print(machine_line("bench_locator", args.repeat))

    demo = generate()
    level3 = sorted((g for g in demo.grids if g["properties"]["level"] == 3), key=lambda g: g["properties"]["code"])
    geometries = many_from_geojson([g["geometry"] for g in level3])
    district = from_geojson(demo.divisions[0]["geometry"])
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    rng = np.random.default_rng(SEED)
    n = args.points
    lon, lat = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
    shapely.prepare(district)
    inside = shapely.contains_xy(district, lon, lat).mean()
    print(f"input: {len(geometries)} level-3 grids sorted by code; {n:,} random points (seed {SEED}) in the bounding box "
          f"[{minx:.4f}, {miny:.4f}, {maxx:.4f}, {maxy:.4f}], {inside:.1%} inside the district")

    build_s, index = best_of(args.repeat, lambda: GridIndex(geometries))
    tree_s, tree = best_of(args.repeat, lambda: built_strtree(geometries))
    mixed = float((index.table < NO_GRID).mean())
    print(f"\nbuild  GridIndex(geometries)       : {build_s * 1000:8.1f} ms  (table {index.shape[0]} x {index.shape[1]}, "
          f"{mixed:.1%} of cells crossed by a border)")
    print(f"build  shapely.STRtree(geometries) : {tree_s * 1000:8.1f} ms")

    ours_s, ours = best_of(args.repeat, lambda: index.locate(lon, lat))
    bare_s, (point_idx, _) = best_of(args.repeat, lambda: bare_strtree(tree, lon, lat))
    k = min(args.loop_points, n)
    loop_s, looped = best_of(args.repeat, lambda: point_loop(tree, lon[:k], lat[:k]))
    loop_full_s = loop_s * n / k

    print(f"\nthroughput on {n:,} points (build excluded)")
    print(f"  ours    GridIndex.locate(lon, lat)                 {ours_s:8.3f} s  {rate(n, ours_s)}")
    print(f"  anchor  bare vectorised STRtree query              {bare_s:8.3f} s  {rate(n, bare_s)}")
    print("            tree.query(shapely.points(lon, lat), predicate='intersects')")
    print(f"  anchor  plain Shapely point-by-point loop          {loop_full_s:8.3f} s  {rate(k, loop_s)}")
    print("            for x, y in zip(lon, lat): hits = tree.query(shapely.Point(x, y), predicate='intersects');")
    print(f"            found.append(hits.min() if len(hits) else -1)   (timed on {k:,} points, extrapolated)")

    print("\nratios (time, lower is better for ours)")
    print(f"  ours / bare STRtree : {ours_s / bare_s:6.3f}  (ours is {bare_s / ours_s:.1f}x as fast)")
    print(f"  ours / loop         : {ours_s / loop_full_s:6.4f}  (ours is {loop_full_s / ours_s:.0f}x as fast)")

    print("\ncorrectness")
    exact = exact_locate(geometries, lon, lat)
    mismatches = int((ours != exact).sum())
    print(f"  GridIndex.locate == exact_locate on all {n:,} points: {'YES' if mismatches == 0 else f'NO ({mismatches:,} differ)'}"
          f"  ({int((exact != NO_GRID).sum()):,} in a grid, {int((exact == NO_GRID).sum()):,} in none;"
          f" {len(point_idx) - len(np.unique(point_idx)):,} on a shared border)")
    # Random doubles almost never land on a border; every grid vertex does (most are shared).
    vertices = shapely.get_coordinates(geometries)
    on_border = int((index.locate(vertices[:, 0], vertices[:, 1]) != exact_locate(geometries, vertices[:, 0], vertices[:, 1])).sum())
    print(f"  GridIndex.locate == exact_locate on all {len(vertices):,} grid vertices (border points, lowest index wins): "
          f"{'YES' if on_border == 0 else f'NO ({on_border:,} differ)'}")
    mismatches += on_border
    loop_mismatches = int((ours[:k] != looped).sum())
    print(f"  GridIndex.locate == the loop on its {k:,} points : {'YES' if loop_mismatches == 0 else f'NO ({loop_mismatches:,} differ)'}")

    print("\ngoals")
    points_per_s = n / ours_s
    print(f"  >= {GOAL_POINTS_PER_S:,} points/s: {points_per_s:,.0f} -> {'MET' if points_per_s >= GOAL_POINTS_PER_S else 'NOT MET'}")
    print(f"  ours_time <= {GOAL_RATIO} x bare STRtree time: {ours_s:.3f} s vs {GOAL_RATIO * bare_s:.3f} s -> "
          f"{'MET' if ours_s <= GOAL_RATIO * bare_s else 'NOT MET'}")
    print(f"  identical results on all points: {'MET' if mismatches == 0 and loop_mismatches == 0 else 'NOT MET'}")


if __name__ == "__main__":
    main()
