"""Buildings placed in communities and merged into sites (one site per distinct point)."""

from dataclasses import dataclass

import numpy as np
import shapely

from ..geometry.transform import metric_points
from .model import Building, Community


@dataclass
class Sites:
    """The sites of one community: metric and lon/lat points, and the buildings at each."""

    x: np.ndarray
    y: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    buildings: list[list[int]]  # indices into the district's building list


def locate(points: np.ndarray, geometries: list) -> np.ndarray:
    """Index of the first geometry covering each point (-1 when none does)."""
    found = np.full(len(points), -1)
    if not geometries or not len(points):
        return found
    tree = shapely.STRtree(geometries)
    point_idx, geom_idx = tree.query(points, predicate="intersects")
    # Highest index first, so that the lowest one is written last and wins on shared borders.
    order = np.lexsort((-geom_idx, point_idx))
    found[point_idx[order]] = geom_idx[order]
    return found


def community_sites(buildings: list[Building], communities: list[Community]) -> tuple[list[Sites], list[int]]:
    """Sites per community (in the given order) and the buildings outside every community."""
    lon = np.array([b.lon for b in buildings], dtype=float)
    lat = np.array([b.lat for b in buildings], dtype=float)
    owner = locate(shapely.points(lon, lat), [c.geometry for c in communities])
    x, y = metric_points(lon, lat) if len(buildings) else (np.zeros(0), np.zeros(0))
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    # Buildings at the same centimetre share one site, so that Voronoi cells never degenerate.
    kx, ky = np.round(x * 100).astype(np.int64), np.round(y * 100).astype(np.int64)
    order = np.lexsort((np.arange(len(buildings)), ky, kx, owner))
    result = []
    bounds = np.searchsorted(owner[order], np.arange(len(communities) + 1))
    for c in range(len(communities)):
        chunk = order[bounds[c] : bounds[c + 1]]
        groups: list[list[int]] = []
        for i in chunk.tolist():
            if groups and kx[groups[-1][0]] == kx[i] and ky[groups[-1][0]] == ky[i]:
                groups[-1].append(i)
            else:
                groups.append([i])
        first = np.array([grp[0] for grp in groups], dtype=int)
        result.append(Sites(x[first], y[first], lon[first], lat[first], groups))
    outside = np.flatnonzero(owner < 0).tolist()
    return result, outside
