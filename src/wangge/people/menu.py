"""The people pages in the navigation: a grid's own pages, the reports and the workbooks."""

from wangge.accounts.models import Role
from wangge.core.menu import register_menu_entry

from .permissions import (
    can_edit_residents,
    can_manage_organisations,
    can_read_grid_pages,
    can_read_reports,
)


def _may_use_workbooks(user) -> bool:
    return can_edit_residents(user) or can_manage_organisations(user)


def _is_grid_worker(user) -> bool:
    return user.role == Role.GRID_WORKER


def register() -> None:
    # A grid worker's day starts at their own grid (its households, buildings and cases).
    register_menu_entry("我的网格", "my-grid", section="geo", order=12, visible=can_read_grid_pages, lands=_is_grid_worker)
    register_menu_entry("网格力量", "staffing-report", section="people", order=50, visible=can_read_reports)
    register_menu_entry("党组织", "party-report", section="people", order=51, visible=can_read_reports)
    register_menu_entry("表格导入导出", "people-workbooks", section="people", order=60, visible=_may_use_workbooks)
