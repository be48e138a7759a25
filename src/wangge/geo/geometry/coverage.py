"""Seamless-coverage check of a grid layer ("全区一张网": no gap, no overlap).

For every parent (the district outline for level 1, the parent grid otherwise) it reports the
parts of the parent that no child covers, the parts that two siblings both cover, and the parts
of a child outside its parent, each above a tolerance in square metres.

The overlay runs on the stored longitude-latitude coordinates, where neighbours share their
vertices exactly, and every piece found is measured on the ellipsoid (`transform.area_m2`).
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely

from .transform import area_m2, square_metres_per_square_degree


@dataclass
class Cell:
    code: str
    level: int
    parent: str
    geometry: shapely.Geometry  # WGS84


def _area_m2(geometry) -> float:
    return float(area_m2([geometry])[0])


def _point(geometry) -> list[float]:
    point = shapely.point_on_surface(geometry)
    return [round(point.x, 7), round(point.y, 7)]


def _overlaps(codes: list[str], clipped: np.ndarray, tolerance_m2: float) -> list[dict]:
    tree = shapely.STRtree(clipped)
    left, right = tree.query(clipped, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    found = []
    for i, j, piece in zip(left, right, shapely.intersection(clipped[left], clipped[right]), strict=True):
        area = _area_m2(piece) if not piece.is_empty else 0.0
        if area > tolerance_m2:
            found.append({"grids": sorted((codes[i], codes[j])), "area_m2": round(area, 2), "point": _point(piece)})
    return found


def _check_family(parent_code: str, parent, codes: list[str], children: np.ndarray, tolerance_m2: float, report: dict) -> None:
    if not len(children):
        report["gaps"].append({"parent": parent_code, "area_m2": round(_area_m2(parent), 2), "point": _point(parent)})
        return
    shapely.prepare(parent)
    covered = shapely.covers(parent, children)
    clipped = children.copy()
    if not covered.all():
        loose = np.flatnonzero(~covered)
        clipped[loose] = shapely.intersection(children[loose], parent)
        for i, outside in zip(loose, shapely.difference(children[loose], parent), strict=True):
            area = _area_m2(outside)
            if area > tolerance_m2:
                report["outside"].append({"grid": codes[i], "area_m2": round(area, 2)})
    per_degree = float(square_metres_per_square_degree(shapely.get_y(shapely.centroid(parent))))
    union = shapely.union_all(clipped)
    if (shapely.area(parent) - shapely.area(union)) * per_degree > tolerance_m2:
        for piece in shapely.get_parts(shapely.difference(parent, union)):
            area = _area_m2(piece) if piece.geom_type == "Polygon" else 0.0
            if area > tolerance_m2:
                report["gaps"].append({"parent": parent_code, "area_m2": round(area, 2), "point": _point(piece)})
    # The clipped areas add up to more than their union by exactly what siblings share.
    if (shapely.area(clipped).sum() - shapely.area(union)) * per_degree > tolerance_m2:
        report["overlaps"].extend(_overlaps(codes, clipped, tolerance_m2))


def check_coverage(cells: list[Cell], *, district, district_code: str, tolerance_m2: float = 1.0) -> dict:
    """The coverage report of a layer; `seamless` is true when nothing exceeds the tolerance."""
    geometries = np.array([c.geometry for c in cells], dtype=object)
    families: dict[str, list[int]] = defaultdict(list)
    for i, cell in enumerate(cells):
        families[cell.parent].append(i)
    parents = {"": (district_code, district)}
    parents.update({c.code: (c.code, g) for c, g in zip(cells, geometries, strict=True)})
    report: dict[str, list] = {"gaps": [], "overlaps": [], "outside": []}
    # Levels 1 and 2 must be tiled by their children; level 3 is the basic grid.
    for key in ["", *sorted(c.code for c in cells if c.level < 3)]:
        parent_code, parent = parents[key]
        members = families.get(key, [])
        _check_family(parent_code, parent, [cells[i].code for i in members], geometries[members], tolerance_m2, report)
    report["gaps"].sort(key=lambda g: (g["parent"], -g["area_m2"]))
    report["overlaps"].sort(key=lambda o: o["grids"])
    report["outside"].sort(key=lambda o: o["grid"])
    seamless = not (report["gaps"] or report["overlaps"] or report["outside"])
    return {"seamless": seamless, **report}
