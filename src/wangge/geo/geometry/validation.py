"""Reading a grid layer from GeoJSON: structure, coordinates, validity, nesting and extent.

Every problem is reported against the feature it belongs to, in Chinese, and all of them are
collected before anything is saved, so that an office fixes a file in one round.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

from .transform import CRS_CHOICES, area_m2, to_wgs84

MAX_ERRORS = 200
MAX_CODE_LENGTH = 32


@dataclass
class LayerFeature:
    index: int
    code: str
    name: str
    level: int
    parent: str
    geometry: shapely.Geometry | None  # WGS84 longitude-latitude; None while its geometry is refused


@dataclass
class LayerInvalid(Exception):
    detail: str
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"detail": self.detail, "errors": self.errors}


class _Errors:
    """Every problem of a layer, each against its feature (index in the file, and code once read)."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self.features: set[int] = set()  # every bad feature, past MAX_ERRORS too
        self.codes: set[str] = set()

    def add(self, index: int | None, reason: str, code: str | None = None) -> None:
        if index is not None:
            self.features.add(index)
        if code:
            self.codes.add(code)
        if len(self.items) < MAX_ERRORS:
            self.items.append({"feature": index, "code": code, "reason": reason})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        items = sorted(self.items, key=lambda e: -1 if e["feature"] is None else e["feature"])
        shown = "" if len(self.items) < MAX_ERRORS else f"（只列出前 {MAX_ERRORS} 条）"
        raise LayerInvalid(f"网格图层校验未通过：{len(self.features)} 个要素有误{shown}，未保存任何数据", items)


def is_finite_number(value) -> bool:
    """A coordinate's rule wherever one comes in: a number, neither NaN nor infinite."""
    return isinstance(value, int | float) and math.isfinite(value)


def point_checked(lon, lat) -> tuple[float, float]:
    """A point as two floats, or a Django ValidationError naming lon or lat: the one rule for a
    point that comes in (a case report, a resource or need, a facility, a nearest search)."""
    from django.core.exceptions import ValidationError

    if not (is_finite_number(lon) and -180 <= lon <= 180):
        raise ValidationError({"lon": "经度应为 -180 至 180 之间的数"})
    if not (is_finite_number(lat) and -90 <= lat <= 90):
        raise ValidationError({"lat": "纬度应为 -90 至 90 之间的数"})
    return float(lon), float(lat)


def _position_problem(position) -> str | None:
    if not isinstance(position, list | tuple) or len(position) < 2:
        return "坐标点应为 [经度, 纬度] 数组"
    lon, lat = position[0], position[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
        return "坐标值应为数字"
    if not (is_finite_number(lon) and is_finite_number(lat)):
        return "坐标值应为有限数字"
    if abs(lat) > 90 and abs(lon) <= 90:
        return f"坐标 [{lon}, {lat}] 疑似经纬度顺序颠倒（GeoJSON 顺序为 [经度, 纬度]）"
    if abs(lon) > 180 or abs(lat) > 90:
        return f"坐标 [{lon}, {lat}] 超出经纬度范围"
    return None


def _ring_problem(ring, ring_no: int) -> str | None:
    if not isinstance(ring, list):
        return f"第 {ring_no + 1} 个环应为坐标数组"
    for position in ring:
        problem = _position_problem(position)
        if problem:
            return problem
    if len(ring) < 4:
        return f"第 {ring_no + 1} 个环只有 {len(ring)} 个点，闭合环至少需要 4 个点"
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return f"第 {ring_no + 1} 个环未闭合（首尾坐标不同）"
    return None


def _geometry_problem(geometry) -> str | None:
    if not isinstance(geometry, dict):
        return "缺少几何对象 geometry"
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return f"几何类型应为 Polygon 或 MultiPolygon，而不是 {kind}"
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "几何坐标为空"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "多边形坐标为空"
        for ring_no, ring in enumerate(polygon):
            problem = _ring_problem(ring, ring_no)
            if problem:
                return problem
    return None


def _properties_problem(properties) -> str | None:
    if not isinstance(properties, dict):
        return "缺少属性 properties"
    code, name, level = properties.get("code"), properties.get("name"), properties.get("level")
    if not isinstance(code, str | int) or not str(code).strip():
        return "缺少网格编码 code"
    if len(str(code).strip()) > MAX_CODE_LENGTH:
        return f"网格编码 code 超过 {MAX_CODE_LENGTH} 个字符"
    if not isinstance(name, str) or not name.strip():
        return "缺少网格名称 name"
    if str(level) not in ("1", "2", "3"):
        return f"网格层级 level 应为 1、2 或 3，而不是 {level!r}"
    return None


def _validity_reason(reason: str) -> str:
    location = ""
    if "[" in reason:
        coordinates = reason[reason.index("[") + 1 : reason.rindex("]")].split()
        if len(coordinates) >= 2:
            location = f"（位置 {float(coordinates[0]):.6f}, {float(coordinates[1]):.6f}）"
    if "Self-intersection" in reason:
        return f"几何自相交{location}"
    if "Too few points" in reason:
        return f"环的有效点数不足{location}"
    if "Hole lies outside shell" in reason or "Nested shells" in reason:
        return f"多边形的内环或外环嵌套错误{location}"
    return f"几何无效：{reason}"


def _code_of(properties) -> str | None:
    """The code a refused feature gives, to name it in the report, where it gives one."""
    code = properties.get("code") if isinstance(properties, dict) else None
    if not isinstance(code, str | int) or isinstance(code, bool):
        return None
    return str(code).strip()[:MAX_CODE_LENGTH] or None


def read_features(data, *, crs: str, errors: _Errors) -> list[LayerFeature]:
    """Every feature whose properties can be read; geometries converted to WGS84, None where refused."""
    if crs not in CRS_CHOICES:
        raise LayerInvalid(f"坐标系 crs 应为 {'、'.join(CRS_CHOICES)} 之一，而不是 {crs!r}")
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise LayerInvalid("图层应为 GeoJSON FeatureCollection（RFC 7946）")
    raw = data.get("features")
    if not isinstance(raw, list) or not raw:
        raise LayerInvalid("图层为空：FeatureCollection 中没有任何网格要素")
    parsed = []
    for index, feature in enumerate(raw):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.add(index, "要素应为 GeoJSON Feature 对象")
            continue
        properties = feature.get("properties")
        problem = _properties_problem(properties)
        if problem:
            errors.add(index, problem, _code_of(properties))
            continue
        parent = properties.get("parent")
        parsed.append(
            LayerFeature(
                index=index,
                code=str(properties["code"]).strip(),
                name=properties["name"].strip(),
                level=int(properties["level"]),
                parent="" if parent in (None, "") else str(parent).strip(),
                geometry=None,
            )
        )
        problem = _geometry_problem(feature.get("geometry"))
        if problem:
            errors.add(index, problem, parsed[-1].code)
        else:
            parsed[-1].geometry = shapely.geometry.shape(feature["geometry"])
    drawn = [f for f in parsed if f.geometry is not None]
    geometries = to_wgs84(np.array([f.geometry for f in drawn], dtype=object), crs)
    for feature, geometry in zip(drawn, geometries, strict=True):
        feature.geometry = geometry
    return parsed


def check_validity(features: list[LayerFeature], *, errors: _Errors) -> list[LayerFeature]:
    """The features whose geometry is read and valid; the others reported."""
    drawn = [f for f in features if f.geometry is not None]
    reasons = shapely.is_valid_reason(np.array([f.geometry for f in drawn], dtype=object))
    valid = []
    for feature, reason in zip(drawn, reasons, strict=True):
        if reason == "Valid Geometry":
            valid.append(feature)
        else:
            errors.add(feature.index, _validity_reason(reason), feature.code)
    return valid


def check_nesting(features: list[LayerFeature], *, community_codes: set[str], refused_codes: set[str], errors: _Errors) -> None:
    """Codes unique, parents present one level up, level-3 codes under a known community.

    A parent among `refused_codes` (features already reported) is not reported missing again.
    """
    by_code = {}
    for feature in features:
        if feature.code in by_code:
            errors.add(feature.index, f"网格编码 {feature.code} 重复（第 {by_code[feature.code].index + 1} 个要素已使用）", feature.code)
        else:
            by_code[feature.code] = feature
    for feature in features:
        if feature.level == 1:
            if feature.parent:
                errors.add(feature.index, "一级网格的上级 parent 应为空（其上级为区界）", feature.code)
            continue
        parent = by_code.get(feature.parent)
        if not feature.parent:
            errors.add(feature.index, f"{feature.level} 级网格缺少上级网格编码 parent", feature.code)
        elif parent is None:
            if feature.parent not in refused_codes:
                errors.add(feature.index, f"上级网格 {feature.parent} 不在本图层中", feature.code)
        elif parent.level != feature.level - 1:
            errors.add(feature.index, f"上级网格 {feature.parent} 为 {parent.level} 级，{feature.level} 级网格的上级应为 {feature.level - 1} 级", feature.code)
        if feature.level == 3:
            if len(feature.code) != 15 or not feature.code.isdigit():
                errors.add(feature.index, f"三级网格编码 {feature.code} 应为所属社区 12 位区划代码加 3 位顺序号", feature.code)
            elif feature.code[:12] not in community_codes:
                errors.add(feature.index, f"三级网格编码 {feature.code} 的前 12 位 {feature.code[:12]} 不是本区的社区代码", feature.code)


def _outside_area_m2(geometries: np.ndarray, container) -> np.ndarray:
    shapely.prepare(container)
    return area_m2(shapely.difference(geometries, container))


def check_extent(features: list[LayerFeature], *, district, communities: dict, tolerance_m2: float, errors: _Errors) -> None:
    """Inside the district, and every level-3 grid inside its own community where it has one."""
    geometries = np.array([f.geometry for f in features], dtype=object)
    outside = _outside_area_m2(geometries, district)
    swapped = shapely.transform(geometries, lambda c: c[:, ::-1])
    for feature, area, swap in zip(features, outside, swapped, strict=True):
        if area <= tolerance_m2:
            continue
        if shapely.area(feature.geometry) and shapely.intersects(swap, district) and not shapely.intersects(feature.geometry, district):
            errors.add(feature.index, "坐标疑似经纬度顺序颠倒（GeoJSON 顺序为 [经度, 纬度]）", feature.code)
        else:
            errors.add(feature.index, f"网格 {feature.code} 有 {area:.1f} 平方米超出区界", feature.code)
    for feature in features:
        community = communities.get(feature.code[:12]) if feature.level == 3 else None
        if community is None:
            continue
        area = _outside_area_m2(np.array([feature.geometry], dtype=object), community)[0]
        if area > tolerance_m2:
            errors.add(feature.index, f"三级网格 {feature.code} 有 {area:.1f} 平方米超出所属社区 {feature.code[:12]} 的范围", feature.code)


def parse_layer(data, *, crs: str, district, communities: dict, tolerance_m2: float) -> list[LayerFeature]:
    """A whole layer, or LayerInvalid with every problem of every feature found in one report.

    `district` is the outline and `communities` maps community codes to their outlines (or
    None where a community has no outline yet), all Shapely geometries in WGS84.
    """
    errors = _Errors()
    features = read_features(data, crs=crs, errors=errors)
    valid = check_validity(features, errors=errors)
    check_nesting(features, community_codes=set(communities), refused_codes=set(errors.codes), errors=errors)
    check_extent(valid, district=district, communities=communities, tolerance_m2=tolerance_m2, errors=errors)
    errors.raise_if_any()
    return features


def outline_problem(geometry) -> str | None:
    """What is wrong with one outline (a compound's boundary, say), checked as a grid's is:
    structure, coordinates, rings and validity; None when it is good."""
    problem = _geometry_problem(geometry)
    if problem:
        return problem
    reason = shapely.is_valid_reason(shapely.geometry.shape(geometry))
    return None if reason == "Valid Geometry" else _validity_reason(reason)
