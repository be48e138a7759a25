"""Legacy layers mapped onto a new one: for each legacy grid, the new grids it overlaps and the
share of its households each holds, so that staff and records can be carried over.

A household counts where its building stands; a legacy grid without households is shared out
by area instead, and says so.
"""

from dataclasses import dataclass

import numpy as np

from wangge.geo.geometry import shapes, transform
from wangge.geo.geometry.index import NO_GRID, GridIndex
from wangge.geo.models import GridLayer
from wangge.people.models import Building


@dataclass(frozen=True)
class MapGrid:
    code: str
    name: str
    geometry: dict  # GeoJSON, WGS84


def stored_grids(layer: GridLayer, level: int = 3) -> list[MapGrid]:
    rows = layer.grids.filter(level=level).order_by("code").values_list("code", "name", "geometry")
    return [MapGrid(*row) for row in rows]


def legacy_grids_from_geojson(collection: dict) -> list[MapGrid]:
    """The basic grids of a legacy layer file: level-3 features where levels are given, else all.
    A ValueError in Chinese names the feature and field that is wrong."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValueError("旧图层：应为 GeoJSON FeatureCollection")
    features = collection.get("features") or []
    levelled = any((f.get("properties") or {}).get("level") is not None for f in features if isinstance(f, dict))
    grids, seen = [], set()
    for row, feature in enumerate(features, start=1):
        properties = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        if levelled and str(properties.get("level")) != "3":
            continue
        code = str(properties.get("code") or properties.get("name") or "").strip()
        if not code or code in seen:
            raise ValueError(f"旧图层第 {row} 个要素：code 缺失或重复")
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"旧图层第 {row} 个要素：geometry 应为 Polygon 或 MultiPolygon")
        try:
            valid = shapes.from_geojson(geometry).is_valid
        except (ValueError, TypeError, AttributeError, IndexError):
            valid = False
        if not valid:
            raise ValueError(f"旧图层第 {row} 个要素：geometry 无法解析或无效")
        seen.add(code)
        grids.append(MapGrid(code, str(properties.get("name") or code), geometry))
    return grids


def platform_buildings() -> list[tuple[float, float, int]]:
    return list(Building.objects.order_by("pk").values_list("lon", "lat", "households"))


def _located(grids: list[MapGrid], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    if not grids or not len(lon):
        return np.full(len(lon), NO_GRID)
    return GridIndex(shapes.many_from_geojson([g.geometry for g in grids])).locate(lon, lat)


def legacy_mapping(legacy_grids: list[MapGrid], new_grids: list[MapGrid], buildings) -> list[dict]:
    """For each legacy grid: its households and the new grids it overlaps with their shares.

    `buildings` are (lon, lat, households). Shares of a legacy grid with households sum to 1;
    households standing in no new grid appear under grid None.
    """
    legacy_grids = sorted(legacy_grids, key=lambda g: g.code)
    new_grids = sorted(new_grids, key=lambda g: g.code)  # on a shared border the lower code wins
    points = np.asarray(buildings, dtype=float).reshape(-1, 3)
    lon, lat, households = points[:, 0], points[:, 1], points[:, 2].astype(int)
    old_at, new_at = _located(legacy_grids, lon, lat), _located(new_grids, lon, lat)
    tally: dict[int, dict[int, int]] = {}
    for o, n, h in zip(old_at.tolist(), new_at.tolist(), households.tolist(), strict=True):
        if o != NO_GRID and h > 0:
            tally.setdefault(o, {})
            tally[o][n] = tally[o].get(n, 0) + h
    result = []
    for i, grid in enumerate(legacy_grids):
        total = sum(tally.get(i, {}).values())
        if total:
            overlaps = [
                {"grid": new_grids[n].code if n != NO_GRID else None, "households": h, "share": h / total}
                for n, h in tally[i].items()
            ]
            entry = {"basis": "households", "note": ""}
        else:
            overlaps = _by_area(grid, new_grids)
            entry = {"basis": "area", "note": "无住户，按面积分摊" if overlaps else "无住户，且与新图层不相交"}
        overlaps.sort(key=lambda o: (-o["share"], o["grid"] or ""))
        result.append({"legacy": grid.code, "name": grid.name, "households": total, **entry, "overlaps": overlaps})
    return result


def _by_area(grid: MapGrid, new_grids: list[MapGrid]) -> list[dict]:
    shape = shapes.from_geojson(grid.geometry)
    area = float(transform.area_m2([shape])[0])
    minx, miny, maxx, maxy = shape.bounds
    found = []
    for other in new_grids:
        candidate = shapes.from_geojson(other.geometry)
        ox0, oy0, ox1, oy1 = candidate.bounds
        if ox0 > maxx or ox1 < minx or oy0 > maxy or oy1 < miny or not candidate.intersects(shape):
            continue
        common = float(transform.area_m2([shape.intersection(candidate)])[0])
        if area > 0 and common / area >= 1e-6:
            found.append({"grid": other.code, "households": 0, "share": common / area})
    return found
