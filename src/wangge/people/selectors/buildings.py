"""Reads of buildings, through the caller's scope."""

from collections import defaultdict

import numpy as np
from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from wangge.geo.scope import Scope

from ..models import Building


def by_building(scope: Scope, path: str = "") -> Q:
    """Rows whose building (reached through `path`, e.g. "household__building__") is in scope.

    A building outside every grid is still in its community's scope.
    """
    return scope.q(f"{path}grid_code") | (Q(**{f"{path}grid_code": ""}) & scope.q(f"{path}community__code"))


def building_list(scope: Scope) -> QuerySet[Building]:
    return Building.objects.filter(by_building(scope))


def building_get(scope: Scope, building_id: int) -> Building:
    return get_object_or_404(building_list(scope), pk=building_id)


def building_totals(scope: Scope) -> dict:
    totals = building_list(scope).aggregate(households=Sum("households"), population=Sum("population"))
    return {
        "buildings": building_list(scope).count(),
        "households": totals["households"] or 0,
        "population": totals["population"] or 0,
    }


def building_totals_by_grid(scope: Scope, *, index) -> dict[str, tuple[int, int]]:
    """Households and population per level-3 grid of a layer's index, by location."""
    rows = np.array(list(building_list(scope).values_list("lon", "lat", "households", "population")), dtype=float).reshape(-1, 4)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, households, population in zip(index.codes_at(rows[:, 0], rows[:, 1]), rows[:, 2], rows[:, 3], strict=True):
        if code:
            totals[code][0] += int(households)
            totals[code][1] += int(population)
    return {code: (h, p) for code, (h, p) in totals.items()}
