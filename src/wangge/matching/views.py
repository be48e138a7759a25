"""The back office's pages of supply and demand: the resource list, the needs, the fairs and the
proposed matches over the caller's area, each read through `selectors`."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from wangge.core.tables import table_page
from wangge.geo.models import Division
from wangge.geo.scope import Scope, prefix_of, scope_of

from . import selectors
from .fair.services import AREA_KINDS, MAX_DISTANCE_M
from .permissions import (
    require_keeper,
    require_need_reader,
    require_resource_reader,
)
from .proposals import propose

RESOURCE_SORTS = {"name": ("name", "pk"), "kind": ("kind", "name", "pk"), "capacity": ("-capacity", "pk"), "community": ("community_code", "name", "pk")}
NEED_SORTS = {"submitted": ("-submitted_at", "-pk"), "urgency": ("-urgency", "-submitted_at", "-pk"), "state": ("state", "-submitted_at", "-pk")}


@login_required
def resource_list(request):
    require_resource_reader(request.user)
    table = table_page(request, selectors.resources_visible(request.user), sorts=RESOURCE_SORTS, default_sort="community", search=("name", "provider_name"))
    return render(request, "matching/resources.html", {"table": table})


@login_required
def need_list(request):
    require_need_reader(request.user)
    table = table_page(request, selectors.needs_visible(request.user), sorts=NEED_SORTS, default_sort="submitted", search=("number", "description"))
    return render(request, "matching/needs.html", {"table": table})


def _int(value: str, default: int) -> int:
    try:
        return min(max(int(value), 100), MAX_DISTANCE_M)
    except (TypeError, ValueError):
        return default


@login_required
def proposals(request):
    """The matcher's proposals over an area of the caller's subtree; nothing is written."""
    require_keeper(request.user)
    areas = Division.objects.filter(scope_of(request.user).q("code"), kind__in=AREA_KINDS).order_by("code")
    area = areas.filter(code=request.GET.get("area") or request.user.scope_code).first() or areas.first()
    if area is None:
        raise PermissionDenied("您的管辖范围内没有社区或街道")
    distance = _int(request.GET.get("distance", ""), 3000)
    scope = Scope(prefix_of(area.code))
    found = propose(selectors.needs_in_scope(scope), selectors.resources_in_scope(scope), max_distance_m=distance)
    return render(request, "matching/proposals.html", {"areas": areas, "area": area, "distance": distance, "found": found})
