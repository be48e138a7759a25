"""Grid layers as GeoJSON for tests: the demo layer exported, and ways to spoil it."""

import copy
import json

from wangge.accounts.scope import Scope
from wangge.geo.models import GridLayer
from wangge.geo.selectors import grid_list


def active_collection() -> dict:
    layer = GridLayer.objects.get(is_active=True)
    grids = grid_list(Scope.district(), layer).select_related("parent").order_by("level", "code")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": g.code, "name": g.name, "level": g.level, "parent": g.parent.code if g.parent else ""},
                "geometry": copy.deepcopy(g.geometry),
            }
            for g in grids
        ],
    }


def first_level3(collection: dict) -> int:
    return next(i for i, f in enumerate(collection["features"]) if f["properties"]["level"] == 3)


def body(collection: dict) -> bytes:
    return json.dumps(collection).encode()
