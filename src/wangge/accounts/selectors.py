"""Reads of accounts."""

from .models import Role, User


def grid_worker_names(grid_codes: set[str]) -> dict[str, str]:
    """The grid worker attached to each level-3 grid, by grid code."""
    rows = User.objects.filter(role=Role.GRID_WORKER, is_active=True, scope_code__in=grid_codes).order_by("date_joined", "pk")
    names: dict[str, str] = {}
    for code, full_name, username in rows.values_list("scope_code", "full_name", "username"):
        names.setdefault(code, full_name or username)
    return names
