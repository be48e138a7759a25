"""Who may change the grid layers and the grids of the net. The role facts are asked of the
account itself (`is_official`, `is_district_official`, `is_district_wide`), which states them."""


def can_manage_grid_layers(user) -> bool:
    """Importing and activating layers changes the whole district's net."""
    return user.is_authenticated and (user.is_superuser or (user.is_district_official and user.is_district_wide))


def can_edit_grids(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_official)
