"""The engine's inputs taken from the platform: its buildings, the communities as the active
layer's level-2 grids draw them, and the active layer's level-3 grids as the existing net."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from wangge.geo.delineation import Bounds, Community, Existing, Options, Result, delineate, io
from wangge.geo.delineation import Building as EngineBuilding
from wangge.geo.geometry import shapes
from wangge.geo.models import Division, Grid, GridLayer
from wangge.geo.selectors import active_layer, grid_feature
from wangge.people.models import Building

MAX_HOUSEHOLDS = 100_000


@dataclass(frozen=True)
class RunOptions:
    """What an official may set for a run; checked before the engine sees it."""

    min: int = 300
    max: int = 500
    seed: int = 0
    repair: bool = False

    def check(self) -> None:
        errors: dict[str, str] = {}
        if not 1 <= self.min <= MAX_HOUSEHOLDS:
            errors["min"] = f"每格户数下限应为 1–{MAX_HOUSEHOLDS} 之间的整数"
        if not 1 <= self.max <= MAX_HOUSEHOLDS or self.max < self.min:
            errors["max"] = "每格户数上限应为不小于下限的整数"
        if not 0 <= self.seed < 2**32:
            errors["seed"] = "随机种子应为非负整数"
        if errors:
            raise ValidationError(errors)

    def engine(self) -> Options:
        return Options(bounds=Bounds(self.min, self.max), seed=self.seed, repair=self.repair)


def level2_by_community(layer: GridLayer) -> dict[str, Grid]:
    """Community code -> the layer's level-2 grid drawing it.

    Platform-built codes start with the community code; imported layers may number their
    level-2 grids their own way, so the community of a level-3 child decides first.
    """
    known = set(Division.objects.filter(kind=Division.Kind.COMMUNITY).values_list("code", flat=True))
    child_community = dict(layer.grids.filter(level=3, community__isnull=False).values_list("parent_id", "community__code"))
    found: dict[str, Grid] = {}
    for grid in layer.grids.filter(level=2).order_by("code"):
        code = child_community.get(grid.pk) or (grid.code[:12] if grid.code[:12] in known else None)
        if code is not None and code not in found:
            found[code] = grid
    return found


def platform_inputs(layer: GridLayer) -> tuple[list[EngineBuilding], list[Community], Existing]:
    """(buildings, communities, existing) of the platform, the communities drawn by `layer`."""
    buildings = [
        EngineBuilding(str(pk), lon, lat, households, population)
        for pk, lon, lat, households, population in Building.objects.order_by("pk").values_list("pk", "lon", "lat", "households", "population")
    ]
    level2 = level2_by_community(layer)
    codes = sorted(level2)
    outlines = shapes.many_from_geojson([level2[c].geometry for c in codes]) if codes else []
    communities = [Community(code, geometry) for code, geometry in zip(codes, outlines, strict=True)]
    return buildings, communities, existing_of_layer(layer)


def layer_frame(layer: GridLayer) -> io.Frame:
    """`layer`'s levels 1 and 2 above a run on its communities, as a redrawn layer keeps them."""
    upper = [grid_feature(g) for g in layer.grids.filter(level__lt=3).select_related("parent").order_by("level", "code")]
    parents = {community: grid.code for community, grid in level2_by_community(layer).items()}
    return io.Frame(upper, parents, division_names(parents))


def division_names(codes) -> dict[str, str]:
    """Division code -> name, for the codes the platform knows and their subdistricts."""
    codes = set(codes)
    return dict(Division.objects.filter(code__in=codes | {f"{c[:9]}000" for c in codes}).values_list("code", "name"))


def existing_of_layer(layer: GridLayer) -> Existing:
    rows = list(layer.grids.filter(level=3).order_by("code").values_list("code", "geometry"))
    geometries = shapes.many_from_geojson([g for _, g in rows]) if rows else []
    return Existing([(code, g) for (code, _), g in zip(rows, geometries, strict=True) if len(code) == 15 and code.isdigit()])


def platform_run(
    *, options: RunOptions, layer: GridLayer | None = None, keep_codes: bool = True, progress: Callable[[int, int], None] | None = None
) -> tuple[Result, GridLayer]:
    """The engine run on the platform's own buildings within `layer` (default: the active one).

    With `keep_codes` the layer's level-3 grids are the existing net, so that codes carry over
    by shared households and `moved_share` says how many households change grid.
    """
    options.check()
    layer = layer or active_layer()
    if layer is None:
        raise ValidationError({"layer": "尚未启用任何网格图层，无法取得社区边界"})
    buildings, communities, existing = platform_inputs(layer)
    if not communities:
        raise ValidationError({"layer": f"图层 {layer.pk} 没有对应社区的二级网格"})
    result = delineate(
        buildings, communities, barriers=[], existing=existing if keep_codes or options.repair else None,
        options=options.engine(), progress=progress,
    )
    return result, layer
