"""Point-in-grid lookup for the locator.

A lookup table over the layer's bounding box answers most points with one array read: each
table cell whose box (slightly enlarged) touches no grid boundary lies wholly inside one grid
or wholly outside all of them. Only points in cells that a boundary crosses go to the exact
STRtree query. The result is the same as the exact query for every point.

Points on a border shared by two grids belong to the grid that comes first in the order the
index was built with (the caller sorts by code), so they resolve the same way every time.
"""

import numpy as np
import shapely

NO_GRID = -1
_MIXED = -2
# Enlarging each table cell by about a tenth of a millimetre keeps a point that rounds into a
# neighbouring cell from being answered by a table entry it does not belong to.
_EPSILON_DEG = 1e-9


class GridIndex:
    def __init__(self, geometries, *, table_size: int = 512) -> None:
        self.geometries = np.asarray(geometries, dtype=object)
        self.tree = shapely.STRtree(self.geometries)
        self._build_table(table_size)

    def _build_table(self, size: int) -> None:
        minx, miny, maxx, maxy = shapely.total_bounds(self.geometries)
        span = max(maxx - minx, maxy - miny) or 1.0
        self.step = span / size
        self.origin = (minx, miny)
        self.shape = (max(1, int(np.ceil((maxy - miny) / self.step))), max(1, int(np.ceil((maxx - minx) / self.step))))
        rows, cols = np.indices(self.shape)
        x0, y0 = minx + cols.ravel() * self.step, miny + rows.ravel() * self.step
        boxes = shapely.box(x0 - _EPSILON_DEG, y0 - _EPSILON_DEG, x0 + self.step + _EPSILON_DEG, y0 + self.step + _EPSILON_DEG)
        boundary_tree = shapely.STRtree(shapely.boundary(self.geometries))
        crossed = np.unique(boundary_tree.query(boxes, predicate="intersects")[0])
        table = self._exact_xy(x0 + self.step / 2, y0 + self.step / 2)
        table[crossed] = _MIXED
        self.table = table.reshape(self.shape).astype(np.int32)

    def _exact_xy(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        found = np.full(len(x), np.iinfo(np.int64).max, dtype=np.int64)
        if len(x):
            point_idx, geom_idx = self.tree.query(shapely.points(x, y), predicate="intersects")
            np.minimum.at(found, point_idx, geom_idx)
        found[found == np.iinfo(np.int64).max] = NO_GRID
        return found

    def locate(self, lon, lat) -> np.ndarray:
        """Index of the grid holding each point, or NO_GRID (-1)."""
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        col = np.floor((lon - self.origin[0]) / self.step)
        row = np.floor((lat - self.origin[1]) / self.step)
        inside = (col >= 0) & (row >= 0) & (col < self.shape[1]) & (row < self.shape[0])
        inside &= np.isfinite(lon) & np.isfinite(lat)
        result = np.full(len(lon), NO_GRID, dtype=np.int64)
        result[inside] = self.table[row[inside].astype(np.int64), col[inside].astype(np.int64)]
        # Points on the bounding box's far edges fall just past the table; look them up exactly.
        unresolved = (result == _MIXED) | (~inside & np.isfinite(lon) & np.isfinite(lat))
        if unresolved.any():
            result[unresolved] = self._exact_xy(lon[unresolved], lat[unresolved])
        return result

    def locate_one(self, lon: float, lat: float) -> int:
        return int(self.locate(np.array([lon]), np.array([lat]))[0])


def exact_locate(geometries, lon, lat) -> np.ndarray:
    """The plain vectorised STRtree query with the same border rule (a benchmark anchor)."""
    index = GridIndex.__new__(GridIndex)
    index.geometries = np.asarray(geometries, dtype=object)
    index.tree = shapely.STRtree(index.geometries)
    return index._exact_xy(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
