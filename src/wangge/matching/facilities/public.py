"""The portal's facility map (服务设施地图): every facility by kind on a map and in a list, and
"离我最近": the nearest open facilities of a kind from a point the visitor gives (the phone's
position, a tap on the map, or typed), measured on the server. The page works without script:
the search is a GET form whose answer the server draws; with script the same search asks the
public JSON endpoint and draws it in place."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_safe

from wangge.geo.geometry.validation import point_checked

from ..models_facilities import FacilityKind
from . import selectors
from .api import SEARCHES_PER_MINUTE, public_out, too_many_searches

NEAREST_COUNT = 5


def _search(request, kinds: list[FacilityKind]) -> tuple[list[dict] | None, str]:
    """The nearest facilities for the page's own form (with its error, if any)."""
    kind_code, lon, lat = (request.GET.get(k, "").strip() for k in ("kind", "lon", "lat"))
    if not (lon or lat):
        return None, ""
    if too_many_searches(request):
        return None, f"查询过于频繁：同一地址每分钟最多查询 {SEARCHES_PER_MINUTE} 次，请稍后再试"
    kind = next((k for k in kinds if k.code == kind_code), None)
    if kind is None:
        return None, "请选择设施类型"
    try:
        point = point_checked(float(lon), float(lat))
    except (ValueError, ValidationError):
        return None, "请填写有效的经纬度，或点击「使用我的位置」"
    return [{**public_out(n.facility), "metres": round(n.metres)} for n in selectors.nearest(kind, *point, NEAREST_COUNT)], ""


@require_safe
def facility_map(request):
    kinds = list(selectors.kind_list())
    facilities = [public_out(f) for f in selectors.public_facilities()]
    groups = [(k, [f for f in facilities if f["kind_code"] == k.code]) for k in kinds]
    nearest, error = _search(request, kinds)
    context = {
        "current": "services", "crumbs": [("首页", "/"), ("便民服务", "/services"), ("服务设施地图", None)],
        "kinds": kinds, "groups": groups, "facilities": facilities, "nearest": nearest, "search_error": error,
        "chosen": request.GET.get("kind", kinds[0].code if kinds else ""), "lon": request.GET.get("lon", ""), "lat": request.GET.get("lat", ""),
        "tile_url": settings.WANGGE_TILE_URL, "tile_attribution": settings.WANGGE_TILE_ATTRIBUTION,
    }
    return render(request, "matching/facilities/map.html", context)
