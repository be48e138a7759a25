"""The people's figures per level-3 grid and per subdistrict, for the dashboards' map and charts."""

from django.db.models import Count, Sum

from wangge.geo.scope import Scope

from .buildings import building_list
from .staff import REASONS, staffing_by_grid, staffing_rollup


def households_by_grid(scope: Scope) -> dict[str, tuple[int]]:
    """Households of the buildings located in each grid (a building outside every grid is in
    no grid's figure, though it counts in its community's headline)."""
    rows = building_list(scope).exclude(grid_code="").order_by().values_list("grid_code").annotate(n=Sum("households"))
    return {code: (n or 0,) for code, n in rows}


def buildings_by_grid(scope: Scope) -> dict[str, int]:
    return dict(building_list(scope).exclude(grid_code="").order_by().values_list("grid_code").annotate(n=Count("*")))


def staffing_gaps_by_grid(scope: Scope) -> dict[str, tuple[int]]:
    """1 for a grid that breaks the staffing rule (一格一干 多专多群), 0 for one that keeps it."""
    return {row.code: (int(bool(row.problems)),) for row in staffing_by_grid(scope)}


def staffing_gaps_by_subdistrict(scope: Scope) -> list[list]:
    """[subdistrict, grids, grids breaking the rule, then one count per reason]."""
    table = []
    for entry in staffing_rollup(staffing_by_grid(scope)):
        if not entry["code"].endswith("000"):  # a community's code never ends in 000
            continue
        table.append([entry["name"] or entry["code"], entry["grids"], entry["breaking"], *(entry["reasons"].get(text, 0) for text in REASONS.values())])
    return table
