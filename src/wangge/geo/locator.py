"""Which grid is this point in: the active layer's level-3 grids behind a spatial index.

The index is built once per process for each layer and kept; a request asks only for the id
of the active layer, so that a process notices at once when another one switched layers.
It answers with codes; who works a grid is added by the caller that needs it
(`wangge.redraw.workers`).
"""

import threading
from dataclasses import dataclass

import numpy as np

from .geometry.index import NO_GRID, GridIndex
from .geometry.shapes import many_from_geojson
from .models import Grid
from .selectors import active_layer_key

_lock = threading.Lock()
_indexes: dict[str, "LayerIndex"] = {}


@dataclass
class LayerIndex:
    layer_id: int
    codes: list[str]  # level-3 codes, sorted: on a shared border the lower code wins
    level2: list[str]
    level1: list[str]
    communities: list[str]
    index: GridIndex | None

    def locate(self, lon, lat) -> np.ndarray:
        if self.index is None:
            return np.full(len(np.atleast_1d(lon)), NO_GRID)
        return self.index.locate(np.atleast_1d(lon), np.atleast_1d(lat))

    def codes_at(self, lon, lat) -> list[str]:
        """The level-3 grid code of each point, '' where a point is in no grid."""
        return ["" if i == NO_GRID else self.codes[i] for i in self.locate(lon, lat)]


def _build(layer_id: int) -> LayerIndex:
    rows = list(
        Grid.objects.filter(layer_id=layer_id, level=3)
        .order_by("code")
        .values_list("code", "parent__code", "parent__parent__code", "community__code", "geometry")
    )
    geometries = many_from_geojson([row[4] for row in rows]) if rows else []
    return LayerIndex(
        layer_id=layer_id,
        codes=[row[0] for row in rows],
        level2=[row[1] or "" for row in rows],
        level1=[row[2] or "" for row in rows],
        communities=[row[3] or row[0][:12] for row in rows],
        index=GridIndex(geometries) if rows else None,
    )


def index_for_layer(layer_id: int, uid: str) -> LayerIndex:
    with _lock:
        if uid not in _indexes:
            # Keep the active layer's index and the one being built; older ones are dropped.
            for stale in list(_indexes)[:-1]:
                del _indexes[stale]
            _indexes[uid] = _build(layer_id)
        return _indexes[uid]


def active_index() -> LayerIndex | None:
    key = active_layer_key()
    return index_for_layer(*key) if key else None


def _describe(index: LayerIndex, i: int) -> dict:
    community = index.communities[i]
    return {
        "subdistrict": community[:9] + "000",
        "community": community,
        "grids": {"1": index.level1[i], "2": index.level2[i], "3": index.codes[i]},
    }


def locate_many(lon, lat) -> list[dict | None]:
    """Where each point lies in the active layer; None outside the district's grids."""
    index = active_index()
    if index is None:
        return [None] * len(np.atleast_1d(lon))
    return [None if i == NO_GRID else _describe(index, int(i)) for i in index.locate(lon, lat)]


def locate(lon: float, lat: float) -> dict | None:
    return locate_many(np.array([lon], dtype=float), np.array([lat], dtype=float))[0]


def grid_at(lon: float, lat: float) -> str | None:
    """The code of the level-3 grid the point lies in, or None: `locate` without the
    description, for writes that need only the code."""
    index = active_index()
    if index is None:
        return None
    found = int(index.locate(np.array([lon], dtype=float), np.array([lat], dtype=float))[0])
    return None if found == NO_GRID else index.codes[found]
