"""Who may change the grid layers and the grids of the net."""

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_district_wide, is_official


def can_manage_grid_layers(user) -> bool:
    """Importing and activating layers changes the whole district's net."""
    return user.is_authenticated and (user.is_superuser or (user.role == Role.DISTRICT_OFFICIAL and is_district_wide(user)))


def can_edit_grids(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_official(user))
