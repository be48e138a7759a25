"""The grid net's entry in the navigation."""

from wangge.core.menu import register_menu_entry

from .permissions import can_manage_grid_layers


def register() -> None:
    register_menu_entry("重新划分网格", "grid-redraw", section="geo", order=10, visible=can_manage_grid_layers)
