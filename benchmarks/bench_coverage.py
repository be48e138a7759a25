"""Benchmark: the seamless-coverage check ("全区一张网") on the demo layer and a 50,000-grid layer.

Run from the project root:

    .venv/bin/python benchmarks/bench_coverage.py

Inputs
  (i)  the demo district's layer: all 715 grids of levels 1-3 (13 + 138 + 564), as
       `check_coverage` takes them;
  (ii) a generated layer of 50,000 level-3 grids with realistic nesting: the demo's 13 level-1
       grids (which tile the district outline), each cut into level-2 grids in proportion to
       its population (2,500 in all), each level-2 grid cut into 20 level-3 grids. Every cut is
       `wangge.geo.geometry.partition.split` (Voronoi cells of k-means seeds clipped to the
       parent), so the layer is seamless by construction with shared vertices, and it goes
       through the same GeoJSON round trip as a stored layer;
  (iii) the same layer with two planted defects (one level-3 grid removed, one on its parent's
       edge grown by 0.0002 degrees): both checks must reject it.

Measured (best of 3 runs each, on the same input in the same run)
  ours:   check_coverage(cells, district=..., district_code=...) - gaps, overlaps and parts
          outside the parent, for every family.
  anchor: "union_all + difference": for each family (parent and its children),
          shapely.union_all(children) followed by parent.difference(union), nothing else.
          It finds gaps only; ours does more work (overlaps, parts outside, areas in metres).

Goal: 50,000 grids in under 10 s. Both checks must find the layer seamless (anchor: every
difference smaller than the tolerance, 1 m2; a difference is measured outside the timing as
its degree area times the parent's square-metres-per-square-degree factor).

This is not a test; pytest does not collect it (file name bench_*.py, outside tests/).
"""

import argparse
import time
from collections import defaultdict

import numpy as np
import shapely

from common import best_of, machine_line
from wangge.demo.generator import DISTRICT_CODE, density, generate, ordered
from wangge.demo.shares import allocate
from wangge.geo import codes
from wangge.geo.geometry import partition, shapes
from wangge.geo.geometry.coverage import Cell, check_coverage
from wangge.geo.geometry.transform import to_metric

SEED = 20240501
REPEAT = 3
GOAL_SECONDS = 10.0
TOLERANCE_M2 = 1.0




def to_cells(features: list[tuple[str, int, str, dict]]) -> list[Cell]:
    """Cells as the service layer builds them from stored GeoJSON (geo.services._cells)."""
    geometries = shapes.many_from_geojson([f[3] for f in features])
    return [Cell(code, level, parent, g) for (code, level, parent, _), g in zip(features, geometries, strict=True)]


def demo_layer(demo) -> list[tuple[str, int, str, dict]]:
    return [(p["code"], p["level"], p["parent"], g["geometry"]) for g in demo.grids for p in [g["properties"]]]


def big_layer(demo, level2_total: int, per_level2: int, seed: int) -> list[tuple[str, int, str, dict]]:
    """The demo's level-1 grids, cut into `level2_total` level-2 and then `per_level2` level-3 each."""
    rng = np.random.default_rng(seed)
    level1 = [(g["properties"]["code"], g["geometry"]) for g in demo.grids if g["properties"]["level"] == 1]
    masses = [partition.density_mass(outline, density, rng) for _, outline in level1]
    if level2_total < len(level1):
        raise SystemExit(f"--level2 must be at least {len(level1)} (one per level-1 grid)")
    # Every level-1 grid gets at least 20 level-2 grids (fewer only in a shrunken run).
    counts = allocate(level2_total, masses, minimum=min(20, level2_total // len(level1) // 2 or 1))
    features = [(code, 1, "", outline) for code, outline in level1]
    for (code1, outline1), count in zip(level1, counts, strict=True):
        subdistrict = code1[:9]
        for n, outline2 in enumerate(ordered(partition.split(outline1, count, rng, density=density)), start=1):
            community = f"{subdistrict}{n:03d}"
            code2 = codes.level2_code(community)
            features.append((code2, 2, code1, outline2))
            pieces = partition.split(outline2, per_level2, rng, density=density, samples=1000)
            for m, outline3 in enumerate(ordered(pieces), start=1):
                features.append((codes.level3_code(community, m), 3, code2, outline3))
    return features


def families(cells: list[Cell], district) -> list[tuple[object, np.ndarray]]:
    """(parent geometry, children geometries) for the district and every level-1 and level-2 grid."""
    children: dict[str, list] = defaultdict(list)
    for cell in cells:
        children[cell.parent].append(cell.geometry)
    result = [(district, np.array(children[""], dtype=object))]
    for cell in sorted((c for c in cells if c.level < 3), key=lambda c: c.code):
        result.append((cell.geometry, np.array(children[cell.code], dtype=object)))
    return result


def anchor_union_difference(family_list) -> list:
    """Per family: shapely.union_all(children), then parent.difference(union). Nothing else."""
    return [parent.difference(shapely.union_all(children)) for parent, children in family_list]


def with_defects(cells: list[Cell]) -> tuple[list[Cell], str]:
    """The layer with two planted defects: one level-3 grid removed (a gap in its level-2
    parent) and another grown by about 20 m (overlaps with its siblings, a part outside its parent)."""
    level3 = [i for i, c in enumerate(cells) if c.level == 3]
    by_code = {c.code: c.geometry for c in cells}
    removed = level3[len(level3) // 3]
    # The grown grid lies on its parent's edge, so that it also sticks out of its parent.
    grown = next(
        i
        for i in level3[2 * len(level3) // 3 :]
        if shapely.length(shapely.intersection(cells[i].geometry.boundary, by_code[cells[i].parent].boundary)) > 0
    )
    changed = [Cell(c.code, c.level, c.parent, c.geometry) for i, c in enumerate(cells) if i != removed]
    target = next(c for c in changed if c.code == cells[grown].code)
    target.geometry = shapely.buffer(target.geometry, 0.0002, join_style="mitre")
    return changed, f"removed {cells[removed].code}, grew {cells[grown].code} by 0.0002 degrees"


def run(name: str, cells: list[Cell], district, repeat: int) -> dict:
    counts = np.bincount([c.level for c in cells], minlength=4)[1:]
    print(f"\n== {name}: {len(cells):,} grids (level 1: {counts[0]:,}, level 2: {counts[1]:,}, level 3: {counts[2]:,})")
    ours_s, report = best_of(repeat, lambda: check_coverage(cells, district=district, district_code=DISTRICT_CODE, tolerance_m2=TOLERANCE_M2))
    family_list = families(cells, district)
    anchor_s, differences = best_of(repeat, lambda: anchor_union_difference(family_list))
    # Outside the timing: the largest difference the anchor left, in square metres. Measured as
    # check_coverage measures whole families (degree area times the parent's m2-per-degree2
    # factor): projecting a hairline difference first would bend its straight edges and turn a
    # zero-area sliver into square metres of invented area.
    parents = np.array([parent for parent, _ in family_list], dtype=object)
    per_degree = shapely.area(to_metric(parents)) / shapely.area(parents)
    areas = shapely.area(np.array(differences, dtype=object)) * per_degree
    anchor_seamless = bool((areas <= TOLERANCE_M2).all())
    found = {k: len(report[k]) for k in ("gaps", "overlaps", "outside")}
    print(f"  ours   check_coverage                          : {ours_s:8.3f} s   seamless={report['seamless']}  found {found}")
    print(f"  anchor union_all(children) + parent.difference : {anchor_s:8.3f} s   seamless={anchor_seamless}  "
          f"found {int((areas > TOLERANCE_M2).sum())} families with a gap; largest difference {areas.max():.3g} m2 "
          f"over {len(family_list):,} families")
    print(f"  ratio ours/anchor time: {ours_s / anchor_s:.2f}x ({'faster' if ours_s < anchor_s else 'slower'} than the anchor)")
    return {"ours_s": ours_s, "anchor_s": anchor_s, "seamless": report["seamless"], "anchor_seamless": anchor_seamless}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level2", type=int, default=2500, help="level-2 grids in the big layer (default 2500)")
    parser.add_argument("--per-level2", type=int, default=20, help="level-3 grids per level-2 grid (default 20)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed runs per measurement; the best counts")
    args = parser.parse_args()
    print(f"{machine_line('bench_coverage', args.repeat)}; tolerance {TOLERANCE_M2} m2")

    start = time.perf_counter()
    demo = generate()
    print(f"demo district generated in {time.perf_counter() - start:.2f} s")
    district = shapes.from_geojson(demo.divisions[0]["geometry"])
    small = run("(i) demo layer", to_cells(demo_layer(demo)), district, args.repeat)

    start = time.perf_counter()
    features = big_layer(demo, args.level2, args.per_level2, SEED)
    generated_s = time.perf_counter() - start
    start = time.perf_counter()
    cells = to_cells(features)
    print(f"\nbig layer generated in {generated_s:.1f} s (partition.split, seed {SEED}); "
          f"GeoJSON -> Shapely in {time.perf_counter() - start:.2f} s (not part of either timing)")
    big = run(f"(ii) generated layer, {args.level2:,} x {args.per_level2} level-3 grids", cells, district, args.repeat)

    defective, planted = with_defects(cells)
    print(f"\n(planted: {planted})")
    broken = run("(iii) the same layer with two planted defects", defective, district, args.repeat)

    level3 = sum(c.level == 3 for c in cells)
    print("\n== goals")
    print(f"  {level3:,} level-3 grids checked in {big['ours_s']:.2f} s; goal < {GOAL_SECONDS:.0f} s: {'MET' if big['ours_s'] < GOAL_SECONDS else 'NOT MET'}")
    both = small["seamless"] and small["anchor_seamless"] and big["seamless"] and big["anchor_seamless"]
    print(f"  both checks find both layers seamless: {'YES' if both else 'NO'}")
    caught = not broken["seamless"] and not broken["anchor_seamless"]
    print(f"  both checks reject the layer with planted defects: {'YES' if caught else 'NO'}")


if __name__ == "__main__":
    main()
