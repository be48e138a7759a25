"""JSON bodies nested deeper than any real document are refused before anything parses them.

Python's json parser recurses once per level: a body of 100,000 nested arrays (a few hundred
kilobytes) raises RecursionError, a server error, in every view that reads JSON. The deepest
real body is a GeoJSON MultiPolygon inside a FeatureCollection, about eight levels.
"""

import re

import numpy as np
from django.http import JsonResponse

from wangge.core.nul_guard import readable_body

MAX_DEPTH = 64
DETAIL = f"请求体的 JSON 嵌套超过 {MAX_DEPTH} 层"
JSON_BODIES = ("application/json", "application/geo+json")
# A JSON string, escapes included: brackets inside strings do not nest.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def nesting_depth(body: bytes) -> int:
    brackets = np.frombuffer(_STRING.sub(b"", body).translate(None, _NOT_BRACKETS), dtype=np.uint8)
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return int(np.cumsum(steps).max(initial=0))


def _too_deep(body: bytes) -> bool:
    # Every JSON request passes here (case reports among them): a body with no more opening
    # brackets than the limit cannot nest deeper, and is let through without the scan.
    return body.count(b"[") + body.count(b"{") > MAX_DEPTH and nesting_depth(body) > MAX_DEPTH


def _is_json(content_type: str) -> bool:
    return content_type in JSON_BODIES or content_type.endswith("+json")


class RefuseDeepJson:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if _is_json(request.content_type or "") and _too_deep(readable_body(request)):
            return JsonResponse({"detail": DETAIL, "errors": []}, status=400, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)
