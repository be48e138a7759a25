from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from wangge.core.tables import exporting, table_export

from .scope import scope_of
from .selectors import active_layer, grid_list

EXPORT_COLUMNS = ["网格编码", "网格名称", "层级", "上级网格", "户数", "人口"]


@login_required
def grid_map(request):
    layer = active_layer()
    grids = grid_list(scope_of(request.user), layer)
    top_level = grids.order_by("level").values_list("level", flat=True).first()
    if exporting(request):
        return _grids_export(request, grids, top_level or 1)
    return render(request, "geo/grid_map.html", {"layer": layer, "top_level": top_level or 1})


def _grids_export(request, grids, top_level: int):
    """The list beside the map as a file: the grids under `parent` (a code the map's trail
    names), or the caller's top level; an unknown or out-of-scope parent gives an empty file."""
    parent = request.GET.get("parent", "")
    shown = grids.filter(parent__code=parent) if parent else grids.filter(level=top_level)

    def cells(objects):
        return ([g.code, g.name, g.level, g.parent.name if g.parent else "", g.households, g.population] for g in objects)

    return table_export(request, shown.select_related("parent"), table="grids", title="网格清单", columns=EXPORT_COLUMNS,
                        cells=cells, default_sort="code", search=("code", "name"))
