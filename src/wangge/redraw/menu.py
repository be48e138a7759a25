"""The redraw pages' entry in the navigation, in the grid net's section."""

from wangge.core.menu import register_menu_entry
from wangge.geo.permissions import can_manage_grid_layers


def register() -> None:
    register_menu_entry("重新划分网格", "grid-redraw", section="geo", order=11, visible=can_manage_grid_layers)
