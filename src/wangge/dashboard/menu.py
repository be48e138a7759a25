"""The dashboards' entry in the navigation."""

from wangge.core.menu import register_menu_entry

from .permissions import can_read_dashboards


def register() -> None:
    register_menu_entry("数据看板", "dashboard", section="dashboard", order=20, visible=can_read_dashboards)
