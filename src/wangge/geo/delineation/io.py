"""GeoJSON in and out of the engine, and the run report.

Both outputs are plain dicts whose `json.dumps(..., ensure_ascii=False, sort_keys=True)` is the
same byte for byte for the same input and seed: coordinates are rounded to 9 decimals (about a
tenth of a millimetre: at 7, a centimetre, a grid along a community's edge of a few kilometres
already strays more than the coverage check's 1 m² outside it), features are sorted by code and
nothing time-dependent is included.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from ..codes import level1_code, level2_code, level3_name
from .model import Building, Community, Existing, Result

_LINES = ("LineString", "MultiLineString")
_AREAS = ("Polygon", "MultiPolygon")


def _features(collection: dict, what: str) -> list[dict]:
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValueError(f"{what}：应为 GeoJSON FeatureCollection")
    return collection.get("features") or []


def _geometry(feature: dict, row: int, what: str, kinds: tuple[str, ...]):
    raw = feature.get("geometry") or {}
    if raw.get("type") not in kinds:
        raise ValueError(f"{what}第 {row} 条：geometry 应为 {' 或 '.join(kinds)}")
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        raise ValueError(f"{what}第 {row} 条：geometry 无法解析（{error}）") from error
    if geometry.is_empty or (geometry.geom_type in _AREAS and not geometry.is_valid):
        raise ValueError(f"{what}第 {row} 条：geometry 为空或无效")
    return geometry


def _count(properties: dict, key: str, row: int, what: str) -> int:
    value = properties.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != int(value):
        raise ValueError(f"{what}第 {row} 条：{key} 应为非负整数")
    return int(value)


def buildings_from_geojson(collection: dict) -> list[Building]:
    """Points, or footprints (their representative point is the building's site)."""
    result, seen = [], set()
    for row, feature in enumerate(_features(collection, "楼栋"), start=1):
        properties = feature.get("properties") or {}
        geometry = _geometry(feature, row, "楼栋", ("Point", *_AREAS))
        ident = str(properties.get("id", feature.get("id", "")) or "")
        if not ident or ident in seen:
            raise ValueError(f"楼栋第 {row} 条：id 缺失或重复")
        seen.add(ident)
        point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
        footprint = None if geometry.geom_type == "Point" else geometry
        result.append(Building(
            ident, float(point.x), float(point.y),
            _count(properties, "households", row, "楼栋"), _count(properties, "population", row, "楼栋"), footprint,
        ))
    return result


def communities_from_geojson(collection: dict) -> list[Community]:
    result, seen = [], set()
    for row, feature in enumerate(_features(collection, "社区"), start=1):
        code = str((feature.get("properties") or {}).get("code", ""))
        if len(code) != 12 or not code.isdigit() or code in seen:
            raise ValueError(f"社区第 {row} 条：code 应为不重复的 12 位区划代码")
        seen.add(code)
        name = (feature.get("properties") or {}).get("name")
        result.append(Community(code, _geometry(feature, row, "社区", _AREAS), name.strip() if isinstance(name, str) else ""))
    return result


def barriers_from_geojson(collection: dict) -> list:
    """Lines in feature order; a barrier's index in reports is its position here."""
    return [_geometry(f, row, "障碍线", _LINES) for row, f in enumerate(_features(collection, "障碍线"), start=1)]


def existing_from_geojson(collection: dict) -> Existing:
    """The level-3 grids of a file: every feature, or those of level 3 in a whole layer."""
    grids, seen = [], set()
    for row, feature in enumerate(_features(collection, "现有网格"), start=1):
        if str((feature.get("properties") or {}).get("level", 3)) != "3":
            continue
        code = str((feature.get("properties") or {}).get("code", ""))
        if len(code) != 15 or not code.isdigit() or code in seen:
            raise ValueError(f"现有网格第 {row} 条：code 应为不重复的 15 位网格编码")
        seen.add(code)
        grids.append((code, _geometry(feature, row, "现有网格", _AREAS)))
    return Existing(grids)


def _rounded(geometry) -> dict:
    return mapping(shapely.transform(geometry, lambda c: np.round(c, 9)))


def result_to_geojson(result: Result) -> dict:
    features = []
    for grid in sorted(result.grids, key=lambda g: (g.code, g.community)):
        features.append({
            "type": "Feature",
            "properties": {
                "code": grid.code,
                "community": grid.community,
                "level": 3,
                "households": grid.households,
                "population": grid.population,
                "polsby_popper": round(grid.polsby_popper, 4),
                "in_bounds": grid.in_bounds,
                "flag": grid.flag,
                "crossings": grid.crossings,
                "buildings": grid.buildings,
            },
            "geometry": _rounded(grid.geometry),
        })
    return {"type": "FeatureCollection", "features": features}


@dataclass
class Frame:
    """What turns a run's level-3 grids into a whole layer: the level-1 and level-2 features above
    them, each community's level-2 code and each community's (and subdistrict's) name."""

    upper: list[dict]
    parents: dict[str, str]
    names: dict[str, str]


def communities_frame(communities: list[Community], names: dict[str, str]) -> Frame:
    """Levels 1 and 2 drawn from the communities themselves, coded as the platform codes them:
    a community's level-2 grid is its outline, a subdistrict's level-1 grid the union of its
    communities. `names` (division code -> name) fills in what the communities do not give."""
    by_subdistrict = defaultdict(list)
    for community in communities:
        by_subdistrict[f"{community.code[:9]}000"].append(community)
    upper, parents = [], {}
    for subdistrict, members in sorted(by_subdistrict.items()):
        union = shapely.union_all([c.geometry for c in members])
        upper.append(_feature(level1_code(subdistrict), names.get(subdistrict) or level1_code(subdistrict), 1, "", union))
    for community in sorted(communities, key=lambda c: c.code):
        parents[community.code] = level2_code(community.code)
        name = community.name or names.get(community.code) or community.code
        upper.append(_feature(parents[community.code], name, 2, level1_code(f"{community.code[:9]}000"), community.geometry))
    return Frame(upper, parents, {**names, **{c.code: c.name for c in communities if c.name}})


def _feature(code: str, name: str, level: int, parent: str, geometry) -> dict:
    properties = {"code": code, "name": name, "level": level, "parent": parent}
    return {"type": "Feature", "properties": properties, "geometry": _rounded(geometry)}


def layer_to_geojson(result: Result, frame: Frame) -> dict:
    """The run as a whole layer that `wangge grids check` and `import` take: the frame's levels
    1 and 2, then the level-3 grids, each named after its community and numbered in code order."""
    collection = result_to_geojson(result)
    numbered: dict[str, int] = defaultdict(int)
    for feature in collection["features"]:
        properties = feature["properties"]
        community = properties["community"]
        numbered[community] += 1
        properties["name"] = level3_name(frame.names.get(community) or community, numbered[community])
        properties["parent"] = frame.parents[community]
    return {"type": "FeatureCollection", "features": [*frame.upper, *collection["features"]]}


def result_report(result: Result) -> dict:
    grids = sorted(result.grids, key=lambda g: (g.code, g.community))
    pp = [g.polsby_popper for g in grids]
    return {
        "grids": [
            {
                "code": g.code,
                "community": g.community,
                "households": g.households,
                "population": g.population,
                "polsby_popper": round(g.polsby_popper, 4),
                "crossings": g.crossings,
                "in_bounds": g.in_bounds,
                "flag": g.flag,
            }
            for g in grids
        ],
        "totals": {
            "grids": len(grids),
            "households": sum(g.households for g in grids),
            "within_bounds_share": round(result.within_bounds_share, 4),
            "moved_share": None if result.moved_share is None else round(result.moved_share, 4),
            "mean_polsby_popper": round(sum(pp) / len(pp), 4) if pp else 0.0,
            "crossings": sum(len(g.crossings) for g in grids),
        },
        "infeasible": sorted(result.infeasible, key=lambda e: (e.get("community", ""), e.get("reason", ""), e.get("households", 0))),
    }
