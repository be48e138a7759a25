"""A delineation proposal saved as a new, inactive grid layer."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wangge.core.audit import audit_record
from wangge.geo import permissions
from wangge.geo.codes import level3_name
from wangge.geo.delineation import Result
from wangge.geo.geometry import shapes
from wangge.geo.models import Division, Grid, GridLayer
from wangge.geo.services import LayerNotSeamless, coverage_of_layer

from .inputs import level2_by_community


def _copy_upper(layer: GridLayer, from_layer: GridLayer) -> dict[int, Grid]:
    """Level-1 and level-2 grids of `from_layer` copied into `layer`; old pk -> copy."""
    copies: dict[int, Grid] = {}
    for level in (1, 2):
        originals = list(from_layer.grids.filter(level=level).order_by("code"))
        made = Grid.objects.bulk_create([
            Grid(layer=layer, code=g.code, name=g.name, level=level, parent=copies.get(g.parent_id), community_id=g.community_id, geometry=g.geometry)
            for g in originals
        ])
        copies.update({g.pk: copy for g, copy in zip(originals, made, strict=True)})
    return copies


def _level3(result: Result, layer: GridLayer, parents: dict[str, Grid]) -> list[Grid]:
    communities = {d.code: d for d in Division.objects.filter(code__in={g.community for g in result.grids})}
    numbered: dict[str, int] = {}  # grids named so far in each community, in code order
    codes: set[str] = set()
    grids = []
    for grid in sorted(result.grids, key=lambda g: g.code):
        if grid.community not in parents or grid.community not in communities:
            raise ValidationError({"grids": f"网格 {grid.code} 所在社区 {grid.community} 不在原图层中"})
        if grid.code in codes:
            raise ValidationError({"grids": f"网格编码 {grid.code} 重复"})
        codes.add(grid.code)
        numbered[grid.community] = numbered.get(grid.community, 0) + 1
        community = communities[grid.community]
        grids.append(Grid(
            layer=layer, code=grid.code, name=level3_name(community.name, numbered[grid.community]), level=3, parent=parents[grid.community],
            community=community, geometry=shapes.to_geojson(grid.geometry), households=grid.households, population=grid.population,
        ))
    return grids


@transaction.atomic
def proposal_save(*, result: Result, name: str, actor=None, from_layer: GridLayer) -> GridLayer:
    """The proposal as a new, inactive layer: `from_layer`'s levels 1 and 2 with the proposal's
    level-3 grids under them. Refused whole when the layer would not be seamless."""
    if actor is not None and not permissions.can_manage_grid_layers(actor):  # None: the system
        raise PermissionDenied("只有区级网格图层管理人员可以重新划分网格")
    layer = GridLayer(name=(name or "").strip() or "重新划分的网格图层", source_crs="wgs84", created_by=actor)
    layer.full_clean()
    layer.save()
    copies = _copy_upper(layer, from_layer)
    parents = {community: copies[grid.pk] for community, grid in level2_by_community(from_layer).items()}
    Grid.objects.bulk_create(_level3(result, layer, parents))
    _roll_up(layer)
    report = coverage_of_layer(layer=layer)
    if not report["seamless"]:
        raise LayerNotSeamless(report)
    by_level = {str(level): layer.grids.filter(level=level).count() for level in (1, 2, 3)}
    # Written in bulk, past the per-row audit: the layer is recorded once, like an import.
    audit_record(
        action="geo.gridlayer.delineated", obj=layer, user=actor,
        after={
            "grids_by_level": by_level, "from_layer": from_layer.pk, "within_bounds_share": result.within_bounds_share,
            "moved_share": result.moved_share, "infeasible": len(result.infeasible),
        },
    )
    return layer


def _roll_up(layer: GridLayer) -> None:
    """Level-2 and level-1 counts summed from the level-3 grids below them."""
    grids = list(layer.grids.only("pk", "level", "parent_id", "households", "population"))
    by_pk = {g.pk: g for g in grids}
    for grid in grids:
        if grid.level < 3:
            grid.households = grid.population = 0
    for level in (3, 2):
        for grid in grids:
            if grid.level == level and grid.parent_id:
                by_pk[grid.parent_id].households += grid.households
                by_pk[grid.parent_id].population += grid.population
    Grid.objects.bulk_update([g for g in grids if g.level < 3], ["households", "population"])
