"""Writes to the district tree and the grid layers."""

import json
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from wangge.core.audit import audit_record

from . import hooks, permissions
from .geometry import coverage, shapes
from .geometry.validation import LayerFeature, LayerInvalid, parse_layer
from .models import Division, Grid, GridLayer, GridLayerActivation
from .scope import scope_of
from .selectors import community_outlines, district, grids_in_scope


def _require_layer_manager(actor, doing: str) -> None:
    # `actor=None` is the system (the command line, the demo): only people are checked.
    if actor is not None and not permissions.can_manage_grid_layers(actor):
        raise PermissionDenied(f"只有区级网格图层管理人员可以{doing}")


class LayerNotSeamless(Exception):
    def __init__(self, report: dict) -> None:
        super().__init__("图层存在缝隙、重叠或越界，不能启用")
        self.report = report


def layer_parse(*, data, crs: str = "wgs84") -> list[LayerFeature]:
    """A FeatureCollection checked against this district's outline and communities."""
    outlines = community_outlines()
    return parse_layer(
        data,
        crs=crs,
        district=shapes.from_geojson(district().geometry),
        communities={code: shapes.from_geojson(g) if g else None for code, g in outlines.items()},
        tolerance_m2=settings.WANGGE_COVERAGE_TOLERANCE_M2,
    )


def layer_parse_bytes(*, body: bytes, crs: str = "wgs84") -> list[LayerFeature]:
    if not body.strip():
        raise LayerInvalid("请求体为空：应为 GeoJSON FeatureCollection")
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise LayerInvalid("不是有效的 JSON：应为 UTF-8 编码的文本") from None
    except json.JSONDecodeError as error:
        raise LayerInvalid(f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列有误") from None
    except RecursionError:
        # A file (the command reads files too) nested deeper than the parser can follow.
        raise LayerInvalid("不是有效的 GeoJSON：嵌套层数过多") from None
    return layer_parse(data=data, crs=crs)


@transaction.atomic
def grid_layer_import(*, features: list[LayerFeature], name: str, crs: str, actor=None) -> GridLayer:
    """Save parsed features as a new, inactive layer, parents before children."""
    _require_layer_manager(actor, "导入网格图层")
    layer = GridLayer(name=name.strip() or "未命名图层", source_crs=crs, created_by=actor)
    layer.full_clean()
    layer.save()
    communities = dict(Division.objects.filter(kind=Division.Kind.COMMUNITY).values_list("code", "pk"))
    saved: dict[str, Grid] = {}
    for level in (1, 2, 3):
        batch = [
            Grid(
                layer=layer,
                code=f.code,
                name=f.name,
                level=f.level,
                parent=saved.get(f.parent),
                community_id=communities.get(f.code[:12]) if level == 3 else None,
                geometry=shapes.to_geojson(f.geometry),
            )
            for f in features
            if f.level == level
        ]
        for grid in Grid.objects.bulk_create(batch):
            saved[grid.code] = grid
    grid_counts_refresh(layer=layer)
    # The grids were written in bulk, past the per-row audit; the import records them at once.
    by_level = {str(level): sum(1 for f in features if f.level == level) for level in (1, 2, 3)}
    audit_record(action="geo.gridlayer.imported", obj=layer, after={"grids_by_level": by_level, "crs": crs})
    return layer


def _cells(layer: GridLayer) -> list[coverage.Cell]:
    rows = list(layer.grids.values_list("code", "level", "parent__code", "geometry"))
    geometries = shapes.many_from_geojson([row[3] for row in rows])
    return [coverage.Cell(code, level, parent or "", g) for (code, level, parent, _), g in zip(rows, geometries, strict=True)]


def coverage_of_features(features: list[LayerFeature], *, tolerance_m2: float | None = None) -> dict:
    cells = [coverage.Cell(f.code, f.level, f.parent, f.geometry) for f in features]
    return _coverage(cells, tolerance_m2)


def coverage_of_layer(*, layer: GridLayer, tolerance_m2: float | None = None) -> dict:
    # NaN compares false with every area (a layer full of gaps would read as seamless), and a
    # negative tolerance reports every shared edge as an overlap.
    if tolerance_m2 is not None and not (math.isfinite(tolerance_m2) and tolerance_m2 >= 0):
        raise ValidationError({"tolerance": "容差 tolerance 应为不小于 0 的有限数（平方米）"})
    return _coverage(_cells(layer), tolerance_m2)


def _coverage(cells: list[coverage.Cell], tolerance_m2: float | None) -> dict:
    outline = district()
    return coverage.check_coverage(
        cells,
        district=shapes.from_geojson(outline.geometry),
        district_code=outline.code[:6],
        tolerance_m2=settings.WANGGE_COVERAGE_TOLERANCE_M2 if tolerance_m2 is None else tolerance_m2,
    )


@transaction.atomic
def grid_layer_activate(*, layer: GridLayer, actor=None, reason: str = "") -> GridLayer:
    """Make `layer` the active one; the previous layer and everything filed under it stay."""
    _require_layer_manager(actor, "启用网格图层")
    # Lock both the layer and the active one so that two activations cannot interleave.
    layers = list(GridLayer.objects.select_for_update().filter(Q(pk=layer.pk) | Q(is_active=True)))
    layer = next(item for item in layers if item.pk == layer.pk)
    if layer.is_active:
        return layer
    report = coverage_of_layer(layer=layer)
    if not report["seamless"]:
        raise LayerNotSeamless(report)
    previous = next((item for item in layers if item.is_active), None)
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    layer.is_active = True
    layer.save(update_fields=["is_active"])
    GridLayerActivation.objects.create(layer=layer, previous=previous, actor=actor, reason=reason[:200])
    # What stands on the net follows the layer that has just become active (people's buildings
    # carry the code of the grid they stand in: it is how their data scope is decided).
    hooks.layer_activated(layer)
    return layer


def grid_counts_refresh(*, layer: GridLayer) -> None:
    """Household and population counts of every grid, summed from the buildings inside it
    (what `hooks.add_grid_totals` registered)."""
    from .locator import index_for_layer

    totals = hooks.grid_totals(index_for_layer(layer.pk, str(layer.uid)))
    grids = list(layer.grids.only("pk", "code", "level", "parent_id"))
    by_pk = {g.pk: g for g in grids}
    for grid in grids:
        grid.households, grid.population = totals.get(grid.code, (0, 0)) if grid.level == 3 else (0, 0)
    for level in (3, 2):
        for grid in grids:
            if grid.level == level and grid.parent_id:
                parent = by_pk[grid.parent_id]
                parent.households += grid.households
                parent.population += grid.population
    Grid.objects.bulk_update(grids, ["households", "population"], batch_size=1000)


@transaction.atomic
def grid_rename(*, grid: Grid, name: str, actor=None) -> Grid:
    if actor is not None and not permissions.can_edit_grids(actor):
        raise PermissionDenied("只有区、街道、社区干部可以修改网格名称")
    if actor is not None and not grids_in_scope(scope_of(actor), Grid.objects.filter(pk=grid.pk)).exists():
        raise PermissionDenied("该网格不在您负责的范围内")
    grid.name = name.strip()
    if not grid.name:
        raise ValidationError({"name": "网格名称不能为空"})
    grid.full_clean(exclude=["parent", "community", "layer"])
    grid.save(update_fields=["name"])
    return grid
