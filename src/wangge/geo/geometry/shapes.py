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
