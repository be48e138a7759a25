"""Conversions between stored GeoJSON dicts and the geometry engine's objects."""

import json
from pathlib import Path

import numpy as np
import shapely

from . import transform
from .transform import to_wgs84


def from_geojson(geometry: dict):
    return shapely.geometry.shape(geometry)


def many_from_geojson(geometries: list[dict]) -> np.ndarray:
    return shapely.from_geojson([json.dumps(g) for g in geometries])


def to_geojson(geometry) -> dict:
    return json.loads(shapely.to_geojson(geometry))


def area_m2(geometry: dict) -> float:
    return float(transform.area_m2([from_geojson(geometry)])[0])


def centroid(geometry: dict) -> tuple[float, float]:
    point = shapely.centroid(from_geojson(geometry))
    return point.x, point.y


def read_outline(path: Path, *, crs: str) -> dict:
    """The single (Multi)Polygon of a GeoJSON outline file, as WGS84 GeoJSON."""
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    outline = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in features])
    return to_geojson(to_wgs84(outline, crs))


def _rounded(coordinates, decimals: int):
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(c, decimals) for c in coordinates]
    return [_rounded(part, decimals) for part in coordinates]


def outlines_simplified(geometries: list[dict], *, tolerance: float, decimals: int) -> list[dict]:
    """The outlines with fewer points, for drawing on a small map. Shared borders are
    simplified once (a coverage simplification), so that neighbours still meet without gaps or
    slivers; a layer that is not a clean coverage is simplified grid by grid instead."""
    if not geometries:
        return []
    shapes_in = many_from_geojson(geometries)
    try:
        simplified = shapely.coverage_simplify(shapes_in, tolerance)
    except shapely.errors.GEOSException:
        simplified = shapely.simplify(shapes_in, tolerance, preserve_topology=True)
    out = []
    for shape in simplified:
        geometry = to_geojson(shape)
        out.append({"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"], decimals)})
    return out
