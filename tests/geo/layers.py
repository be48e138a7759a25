"""Grid layers as GeoJSON for tests: the demo layer exported, and ways to spoil it."""

import copy
import json

from wangge.geo.models import GridLayer
from wangge.geo.scope import Scope
from wangge.geo.selectors import layer_feature_collection


def active_collection() -> dict:
    """The active layer as GeoJSON, a copy the test may spoil."""
    return copy.deepcopy(layer_feature_collection(Scope.district(), GridLayer.objects.get(is_active=True)))


def first_level3(collection: dict) -> int:
    return next(i for i, f in enumerate(collection["features"]) if f["properties"]["level"] == 3)


def body(collection: dict) -> bytes:
    return json.dumps(collection).encode()
