"""Reads of the district tree and the grid layers, always through the caller's scope."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from wangge.core import rows

from .models import Division, Grid, GridLayer
from .scope import Scope


def active_layer() -> GridLayer | None:
    return GridLayer.objects.filter(is_active=True).first()


_ACTIVE_KEY = f"SELECT id, uid FROM {GridLayer._meta.db_table} WHERE is_active ORDER BY id LIMIT 1"  # noqa: S608 - constants


def active_layer_key() -> tuple[int, str] | None:
    """(id, uid) of the active layer: a cheap query that tells a process which index to use.
    Written out: every report asks, and compiling it cost more than running it."""
    with rows.cursor() as cursor:
        cursor.execute(_ACTIVE_KEY)
        row = cursor.fetchone()
    # SQLite gives the uid as 32 hex digits: read it as the field does, so it names the layer as str(layer.uid) does.
    return (row[0], str(GridLayer._meta.get_field("uid").to_python(row[1]))) if row else None


def layer_list() -> QuerySet[GridLayer]:
    return GridLayer.objects.all()


def layer_get(layer_id: int) -> GridLayer:
    return get_object_or_404(GridLayer, pk=layer_id)


def district() -> Division:
    return Division.objects.get(kind=Division.Kind.DISTRICT)


def division_list(scope: Scope) -> QuerySet[Division]:
    return Division.objects.filter(scope.q("code"))


def division_get(scope: Scope, code: str) -> Division:
    return get_object_or_404(division_list(scope), code=code)


def grids_in_scope(scope: Scope, grids: QuerySet[Grid]) -> QuerySet[Grid]:
    """Level-3 grids in scope and the level-1 and level-2 grids above them."""
    if scope.is_district:
        return grids
    below = (
        (Q(level=3) & scope.q("code"))
        | (Q(level=2) & scope.q("children__code"))
        | (Q(level=1) & scope.q("children__children__code"))
    )
    return grids.filter(pk__in=Grid.objects.filter(below).values("pk"))


def grid_list(scope: Scope, layer: GridLayer | None) -> QuerySet[Grid]:
    if layer is None:
        return Grid.objects.none()
    return grids_in_scope(scope, Grid.objects.filter(layer=layer))


def layer_feature_collection(scope: Scope, layer: GridLayer) -> dict:
    """The layer's grids in scope as RFC 7946 GeoJSON, in the form `wangge grids import` reads."""
    grids = grid_list(scope, layer).select_related("parent").order_by("level", "code")
    return {
        "type": "FeatureCollection",
        "name": layer.name,
        "features": [grid_feature(g) for g in grids],
    }


def grid_feature(grid: Grid) -> dict:
    """A grid as a GeoJSON feature (its parent selected with it)."""
    properties = {"code": grid.code, "name": grid.name, "level": grid.level, "parent": grid.parent.code if grid.parent else ""}
    return {"type": "Feature", "properties": properties, "geometry": grid.geometry}


def grid_counts_by_level(grids: QuerySet[Grid]) -> dict[str, int]:
    counts = {str(level): 0 for level in (1, 2, 3)}
    for row in grids.values("level").annotate(n=Count("id")).order_by():
        counts[str(row["level"])] = row["n"]
    return counts


def grid_get(scope: Scope, grid_id: int) -> Grid:
    grid = Grid.objects.filter(pk=grid_id).select_related("layer").first()
    return get_object_or_404(grid_list(scope, grid.layer if grid else None).select_related("parent", "community"), pk=grid_id)


def community_outlines() -> dict[str, dict | None]:
    return dict(Division.objects.filter(kind=Division.Kind.COMMUNITY).values_list("code", "geometry"))


def basic_grids(scope: Scope) -> QuerySet[Grid]:
    """The level-3 grids of the active layer in scope: where people and organisations attach."""
    return Grid.objects.filter(layer__is_active=True, level=3).filter(scope.q("code"))


def basic_grid_by_code(scope: Scope, code: str) -> Grid:
    return get_object_or_404(basic_grids(scope).select_related("community"), code=code)


def basic_grid_name(code: str) -> str | None:
    """The name of the active layer's level-3 grid with this code. Public, as on the grids'
    outline map (`outlines.py`)."""
    return Grid.objects.filter(layer__is_active=True, level=3, code=code).values_list("name", flat=True).first()


def node_name(code: str) -> str | None:
    """The name of the node a user is attached to (a division, or a level-3 grid of the active
    layer); shown to that user only, whose own node is always inside their scope."""
    if len(code) == 15:
        return basic_grid_name(code)
    return Division.objects.filter(code=code).values_list("name", flat=True).first() if code else None


def node_names(codes) -> dict[str, str]:
    """The names of the nodes these codes name, for tables that show names instead of codes."""
    codes = set(codes)
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    names.update(Grid.objects.filter(layer__is_active=True, level=3, code__in=codes).values_list("code", "name"))
    return names
