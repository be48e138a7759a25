"""The dashboards' pages: the headline figures, the map, the charts, the records behind a
figure, and a chart's table as CSV or XLSX. Everything within the caller's data scope."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from wangge.core import figures as registry
from wangge.core.tables import exporting, table_export, table_page
from wangge.dashboard.permissions import can_read_dashboards
from wangge.geo.scope import scope_of

from . import selectors
from .api import chart_data
from .downloads import FORMATS, chart_download

SECTIONS = ("全区一张网", "人口与房屋", "网格力量与组织", "事件办理", "其他")
RECORDS_PAGE_SIZE = 50


def _scope(request):
    if not can_read_dashboards(request.user):
        raise PermissionDenied("只有区、街道、社区干部和网格员可以查看数据看板")
    return scope_of(request.user)


def _flatten(figures: dict, prefix: str = "") -> list[tuple[str, object]]:
    """{"grids_by_level": {"1": 13}} -> [("grids_by_level.1", 13)]: one card per number, at any depth
    ({"red_property": {"star_ratings": {"5": 3}}} -> "red_property.star_ratings.5")."""
    flat = []
    for key, value in figures.items():
        if isinstance(value, dict):
            flat += _flatten(value, f"{prefix}{key}.")
        else:
            flat.append((f"{prefix}{key}", value))
    return flat


def _shown(value, info: registry.FigureInfo) -> str:
    if value is None:
        return "—"
    if info.percent:
        return f"{value * 100:.1f}"
    return str(value)


def _common(scope) -> dict:
    return {"scope_name": selectors.scope_name(scope), "is_district": scope.is_district, "now": timezone.localtime()}


@login_required
def headline_page(request):
    scope = _scope(request)
    sections: dict[str, list[dict]] = {name: [] for name in SECTIONS}
    for key, value in _flatten(registry.headline(scope)):
        info = registry.figure_info(key)
        link = info.records if isinstance(info.records, str) else (f"/dashboard/records?figure={key}" if info.records else "")
        card = {"key": key, "label": info.label, "value": _shown(value, info), "unit": info.unit if value is not None else "", "caption": info.caption, "link": link}
        sections.setdefault(info.section, []).append(card)
    shown = [{"title": name, "cards": cards} for name, cards in sections.items() if cards]
    return render(request, "dashboard/headline.html", {**_common(scope), "sections": shown})


@login_required
def map_page(request):
    scope = _scope(request)
    figures = registry.grid_figures()
    chosen = request.GET.get("figure", "households")
    context = {
        **_common(scope),
        "figures": [{"key": f.key, "label": f.label} for f in figures.values()],
        "chosen": chosen if chosen in figures else "households",
        "tile_url": settings.WANGGE_TILE_URL,
        "tile_attribution": settings.WANGGE_TILE_ATTRIBUTION,
    }
    return render(request, "dashboard/map.html", context)


@login_required
def charts_page(request):
    scope = _scope(request)
    charts = []
    for chart in registry.charts():
        data = chart_data(chart, scope)
        data["shown_rows"] = [[_cell(cell, i in chart.series and chart.percent) for i, cell in enumerate(row)] for row in data["rows"]]
        if data["partial"]:  # the period not over yet, named in the table as on the chart
            row = data["shown_rows"][data["partial"]["row"]]
            row[0] = f"{row[0]} {data['partial']['label']}"
        charts.append(data)
    return render(request, "dashboard/charts.html", {**_common(scope), "charts": charts})


def _cell(value, percent: bool) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if percent else str(value)


@login_required
def chart_file(request):
    scope = _scope(request)
    chart = registry.chart_get(request.GET.get("chart", ""))
    if chart is None:
        return HttpResponseBadRequest("参数 chart 无效：没有这个图表", content_type="text/plain; charset=utf-8")
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        return HttpResponseBadRequest("参数 format 无效：应为 csv 或 xlsx", content_type="text/plain; charset=utf-8")
    content = chart_download(chart=chart, data=chart_data(chart, scope), fmt=fmt, scope_prefix=scope.prefix)
    filename = f"{chart.title}（{selectors.scope_name(scope)}，{timezone.localdate():%Y%m%d}）.{fmt}"
    return HttpResponse(content, content_type=FORMATS[fmt], headers={"Content-Disposition": content_disposition_header(True, filename)})


@login_required
def records_page(request):
    scope = _scope(request)
    key = request.GET.get("figure", "")
    info = registry.figure_info(key)
    if isinstance(info.records, str):
        return redirect(info.records)
    if info.records is None:
        raise Http404
    records = info.records(scope)
    # A sortable column's key is its position, so that any figure's records sort the same way.
    sorting = {"sorts": {str(n): records.sorts[c] for n, c in enumerate(records.columns) if c in records.sorts}, "search": records.search}
    if exporting(request):
        return table_export(request, records.rows, table=f"dashboard.{key}", title=records.title, columns=records.columns,
                            cells=lambda objects: [records.row(obj) for obj in objects], **sorting)
    table = table_page(request, records.rows, per_page=RECORDS_PAGE_SIZE, **sorting)
    rows = [{"cells": records.row(obj), "link": records.link(obj) if records.link else ""} for obj in table.rows]
    columns = [(str(n), column, str(n) in sorting["sorts"]) for n, column in enumerate(records.columns)]
    context = {**_common(scope), "info": info, "records": records, "table": table, "page": table.page, "rows": rows, "key": key, "columns": columns}
    return render(request, "dashboard/records.html", context)
