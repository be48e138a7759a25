"""Coordinate systems: GCJ-02 to WGS84, and a metric projection for areas and distances.

Stored coordinates are CGCS2000 / WGS84 longitude-latitude. The two datums differ by a few
centimetres, far below what a grid boundary means, so they are treated as the same axes.
Chinese web maps publish GCJ-02 (the "Mars" offset of GB 20263); it is converted on the way in.
Distances use CGCS2000 3-degree Gauss-Kruger, central meridian 114E (EPSG:4547), which is the
zone of Zhengzhou. Areas are taken on the CGCS2000 ellipsoid from longitude-latitude areas and
the local scale (`area_m2`): projecting a polygon first would bend its straight edges by a few
millimetres, which turns the zero-width slivers of an exact overlay into square metres.
"""

from functools import cache

import numpy as np
import shapely
from pyproj import Geod, Transformer

CRS_CHOICES = ("wgs84", "cgcs2000", "gcj02")
METRIC_EPSG = 4547

# CGCS2000 ellipsoid (same as GRS80 to a fraction of a millimetre).
_CGCS_A = 6378137.0
_CGCS_E2 = 0.00669438002290

_A = 6378245.0
_EE = 0.00669342162296594323


_GEOD = Geod(ellps="WGS84")  # CGCS2000's ellipsoid differs from WGS84's by under 0.1 mm here


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Metres between two points along the ellipsoid."""
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2]


def _out_of_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = lon - 105.0, lat - 35.0
    pi = np.pi
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += common
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of the GCJ-02 offset by fixed-point iteration (converges to < 1e-9 degree)."""
    glon, glat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(30):
        tlon, tlat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = tlon - glon, tlat - glat
        wlon, wlat = wlon - elon, wlat - elat
        if max(np.abs(elon).max(initial=0), np.abs(elat).max(initial=0)) < 1e-10:
            break
    return wlon, wlat


def to_wgs84(geometries, crs: str):
    """Geometries (array or single) from `crs` to WGS84 longitude-latitude."""
    if crs in ("wgs84", "cgcs2000"):
        return geometries

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    if crs == "gcj02":
        return shapely.transform(geometries, convert)
    raise ValueError(crs)


def square_metres_per_square_degree(lat) -> np.ndarray:
    """Area of one square degree of longitude-latitude at latitude `lat`, in square metres."""
    phi = np.radians(np.asarray(lat, dtype=float))
    w = 1 - _CGCS_E2 * np.sin(phi) ** 2
    meridian = _CGCS_A * (1 - _CGCS_E2) / w**1.5
    prime_vertical = _CGCS_A / np.sqrt(w)
    return (np.pi / 180) ** 2 * meridian * prime_vertical * np.cos(phi)


def area_m2(geometries) -> np.ndarray:
    """Ellipsoidal area of WGS84 geometries, in square metres (accurate to 0.01 % for grids)."""
    geometries = np.asarray(geometries, dtype=object)
    areas = shapely.area(geometries)
    measured = areas > 0
    result = np.zeros(len(geometries))
    lat = shapely.get_y(shapely.centroid(geometries[measured]))
    result[measured] = areas[measured] * square_metres_per_square_degree(lat)
    return result


@cache
def _to_metric() -> Transformer:
    return Transformer.from_crs(4326, METRIC_EPSG, always_xy=True)


@cache
def _from_metric() -> Transformer:
    return Transformer.from_crs(METRIC_EPSG, 4326, always_xy=True)


def to_metric(geometries):
    """WGS84 geometries to metres (CGCS2000 3-degree Gauss-Kruger CM 114E)."""
    return shapely.transform(geometries, lambda c: np.column_stack(_to_metric().transform(c[:, 0], c[:, 1])))


def from_metric(geometries):
    return shapely.transform(geometries, lambda c: np.column_stack(_from_metric().transform(c[:, 0], c[:, 1])))


def metric_points(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    return _to_metric().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def lonlat_points(x, y) -> tuple[np.ndarray, np.ndarray]:
    return _from_metric().transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
