"""The dashboards' data: the headline figures, a figure per grid for the map, open cases'
points, and the charts' tables. Computed from the data at request time, within the caller's scope."""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from ninja import Query, Router
from pydantic import WithJsonSchema

from wangge.accounts.auth import OPTIONAL_AUTH
from wangge.cases.selectors_figures import open_case_points
from wangge.core.errors import ApiError, ErrorOut
from wangge.core.figures import charts as chart_list
from wangge.core.figures import grid_figures
from wangge.core.figures import headline as compose
from wangge.dashboard.permissions import can_read_dashboards
from wangge.geo.scope import Scope, scope_of

from . import selectors

router = Router(tags=["统计"])

POINTS_LIMIT = 2000
FigureName = Annotated[str, WithJsonSchema({"type": "string", "enum": sorted(grid_figures()), "default": "households"}), Query("households", description="着色指标")]
GridCode = Annotated[str | None, Query(None, description="上级网格编码；不填为最上一级", max_length=32)]


def _scope(request) -> Scope:
    if not can_read_dashboards(request.user):
        raise PermissionDenied("只有区、街道、社区干部和网格员可以查看数据看板")
    return scope_of(request.user)


@router.get("/headline", response=dict, auth=OPTIONAL_AUTH)
def headline(request):
    """全区公开的主要数据，请求时由数据计算；登录用户看到其范围内的数据。"""
    scope = scope_of(request.user) if request.user.is_authenticated else Scope.district()
    return compose(scope)


def _feature(node, figure, shape) -> dict:
    return {
        "type": "Feature",
        "id": node.pk,
        "properties": {
            "code": node.code,
            "name": node.name,
            "level": node.level,
            "children": len(node.children),
            "value": selectors.value_of(node.parts, figure),
            "parts": node.parts,
        },
        "geometry": shape,
    }


@router.get("/grids", response={200: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def grid_values(request, figure: FigureName, parent: GridCode = None):
    """地图着色：上级网格（不填为最上一级）在您范围内的各下级网格的指标值和边界（GeoJSON）。
    求和类指标逐级相加；按时办结率为按时结案数 ÷ 结案数，不是各网格比率的平均。"""
    scope = _scope(request)
    chosen = grid_figures().get(figure)
    if chosen is None:
        raise ApiError(400, f"参数 figure 无效：应为 {'、'.join(sorted(grid_figures()))} 之一", [{"field": "figure", "reason": "未知的指标"}])
    nodes = selectors.grid_tree(scope)
    current = selectors.node_by_code(nodes, parent) if parent else None
    shown = current.children if current else selectors.top_nodes(nodes)
    selectors.add_up(nodes, chosen, scope)
    total = [sum(column) for column in zip(*(n.parts for n in shown), strict=True)] if shown else [0] * (2 if chosen.rate else 1)
    shapes = selectors.geometries(shown)
    return {
        "type": "FeatureCollection",
        "figure": {"key": chosen.key, "label": chosen.label, "unit": chosen.unit, "rate": chosen.rate},
        "parent": current.code if current else None,
        "trail": [{"code": n.code, "name": n.name, "level": n.level} for n in (selectors.trail_of(nodes, current) if current else [])],
        "total": {"value": selectors.value_of(total, chosen), "parts": total},
        "features": [_feature(n, chosen, shapes.get(n.pk)) for n in shown],
    }


@router.get("/case-points", response={200: dict, 403: ErrorOut, 404: ErrorOut})
def case_points(request, parent: GridCode = None):
    """未办结事件的位置（不含上报人和地址），最新的在前，至多 2000 件；可限于某网格之下。"""
    scope = _scope(request)
    codes = None
    if parent:
        codes = selectors.basic_codes_under(selectors.node_by_code(selectors.grid_tree(scope), parent))
    points = open_case_points(scope, codes, POINTS_LIMIT)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": p["id"], "properties": {k: v for k, v in p.items() if k not in ("lon", "lat")},
             "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]}}
            for p in points
        ],
    }


def chart_data(chart, scope: Scope) -> dict:
    table = chart.table(scope)
    return {
        "key": chart.key, "title": chart.title, "kind": chart.kind, "series": list(chart.series), "percent": chart.percent,
        "columns": table.columns, "rows": table.rows, "partial": table.partial,
    }


@router.get("/charts", response={200: dict, 403: ErrorOut})
def charts(request):
    """图表数据：各类事件数量、按月变化、各职能部门按时办结率、各街道网格力量不达标网格数；每个图表为一张表。"""
    scope = _scope(request)
    return {"charts": [chart_data(chart, scope) for chart in chart_list()]}
