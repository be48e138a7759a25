"""The dashboards' entry in the navigation."""

from wangge.core.menu import register_menu_entry

from .permissions import can_read_dashboards


def _is_district_official(user) -> bool:
    return user.is_district_official


def register() -> None:
    # The district official reads the district before acting on it: the dashboard is their work.
    register_menu_entry("数据看板", "dashboard", section="dashboard", order=20, visible=can_read_dashboards, lands=_is_district_official)
