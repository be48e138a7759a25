"""The grids and the locator as the API answers them: geo's grids and codes with the name of
each level-3 grid's full-time grid worker, which people knows. Mounted beside geo's own routes
(`/api/grids/layers`, `/api/divisions`)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from ninja import Query, Router

from wangge.core.errors import ApiError, ErrorOut
from wangge.geo import locator, permissions, selectors, services
from wangge.geo.scope import scope_of
from wangge.people.selectors.staff import cadre_names

from .schemas import GridOut, GridPatch, LocateOut
from .workers import with_grid_workers

grids_router = Router(tags=["网格"])
locate_router = Router(tags=["网格定位"])


def _grid_out(grid, workers: dict[str, str], children: int) -> dict:
    return {
        "id": grid.pk,
        "layer_id": grid.layer_id,
        "code": grid.code,
        "name": grid.name,
        "level": grid.level,
        "parent_code": grid.parent.code if grid.parent else None,
        "community_code": grid.community.code if grid.community else None,
        "households": grid.households,
        "population": grid.population,
        "children": children,
        "grid_worker": workers.get(grid.code),
    }


@grids_router.get("", response=dict)
def grid_features(request, level: int | None = None, parent: str | None = None, layer: int | None = None):
    """网格要素（GeoJSON），默认为当前启用图层；可按层级或上级网格编码筛选。"""
    chosen = selectors.layer_get(layer) if layer else selectors.active_layer()
    grids = selectors.grid_list(scope_of(request.user), chosen).select_related("parent", "community").annotate(n_children=Count("children"))
    if level is not None:
        grids = grids.filter(level=level)
    if parent is not None:
        grids = grids.filter(parent__code=parent) if parent else grids.filter(parent__isnull=True)
    grids = list(grids.order_by("code"))
    workers = cadre_names({g.code for g in grids if g.level == 3})
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": g.pk, "properties": _grid_out(g, workers, g.n_children), "geometry": g.geometry} for g in grids],
    }


@grids_router.get("/{grid_id}", response=GridOut)
def grid_detail(request, grid_id: int):
    grid = selectors.grid_get(scope_of(request.user), grid_id)
    return _grid_out(grid, cadre_names({grid.code}), grid.children.count())


@grids_router.patch("/{grid_id}", response={200: GridOut, 400: ErrorOut, 403: ErrorOut})
def grid_update(request, grid_id: int, payload: GridPatch):
    grid = selectors.grid_get(scope_of(request.user), grid_id)
    if not permissions.can_edit_grids(request.user):
        raise PermissionDenied("没有权限执行此操作")
    grid = services.grid_rename(grid=grid, name=payload.name, actor=request.user)
    return _grid_out(grid, cadre_names({grid.code}), grid.children.count())


@locate_router.get("", response={200: LocateOut, 404: ErrorOut}, auth=None)
def locate(request, lon: float = Query(..., ge=-180, le=180), lat: float = Query(..., ge=-90, le=90)):
    """点位所在的街道、社区、各级网格和网格员（公开，网格员姓名即网格公示牌所示）。"""
    [found] = with_grid_workers([locator.locate(lon, lat)])
    if found is None:
        raise ApiError(404, f"坐标 ({lon}, {lat}) 不在本区的网格内")
    return found
