"""The public outline map of the basic grids: each level-3 grid of the active layer with its
code and name only, its border simplified for a phone's map. The pages that place a point (the
report form) or show points (the public map of reports) draw it as their base map, since a
closed network has no tile server.

Built once for each version (the active layer and its grids' names) and kept in Django's cache
with its gzip form; the version is the ETag, so a browser that has it gets a 304.
"""

import gzip
import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache

from .geometry.shapes import outlines_simplified
from .models import Grid
from .selectors import active_layer_key

# About 2 m: invisible at the zoom a street needs, and it drops most of a drawn border's points.
TOLERANCE_DEGREES = 0.00002
# 0.00001 degree is about 1 m, finer than the simplification.
DECIMALS = 5
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Outlines:
    etag: str
    body: bytes
    gzipped: bytes


def _names(layer_id: int | None) -> list[tuple[str, str]]:
    if layer_id is None:
        return []
    return list(Grid.objects.filter(layer_id=layer_id, level=3).order_by("code").values_list("code", "name"))


def _build(layer_id: int | None, names: list[tuple[str, str]], etag: str) -> Outlines:
    geometries = dict(Grid.objects.filter(layer_id=layer_id, level=3).values_list("code", "geometry")) if layer_id else {}
    codes = [code for code, _ in names if code in geometries]
    drawn = dict(zip(codes, outlines_simplified([geometries[c] for c in codes], tolerance=TOLERANCE_DEGREES, decimals=DECIMALS), strict=True))
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"code": code, "name": name}, "geometry": drawn[code]} for code, name in names if code in drawn],
    }
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
    return Outlines(etag=etag, body=body, gzipped=gzip.compress(body, compresslevel=6, mtime=0))


def basic_grid_outlines() -> Outlines:
    """The current outlines. Two cheap queries a call (the active layer, the grids' names);
    the geometry is read and simplified only when either has changed."""
    key = active_layer_key()
    layer_id, uid = key if key else (None, "")
    names = _names(layer_id)
    version = hashlib.sha256("\n".join([uid, *(f"{code}\t{name}" for code, name in names)]).encode()).hexdigest()[:32]
    cache_key = f"wangge:geo:outlines:{version}"
    found = cache.get(cache_key)
    if found is None:
        found = _build(layer_id, names, f'"{version}"')
        cache.set(cache_key, found, CACHE_SECONDS)
    return found
