"""The people pages in the navigation: a grid's own pages, the reports and the workbooks."""

from wangge.core.menu import register_menu_entry

from .permissions import (
    can_edit_residents,
    can_manage_organisations,
    can_read_grid_pages,
    can_read_reports,
)


def _may_use_workbooks(user) -> bool:
    return can_edit_residents(user) or can_manage_organisations(user)


def register() -> None:
    register_menu_entry("我的网格", "my-grid", section="people", order=40, visible=can_read_grid_pages)
    register_menu_entry("网格力量", "staffing-report", section="people", order=50, visible=can_read_reports)
    register_menu_entry("党组织", "party-report", section="people", order=51, visible=can_read_reports)
    register_menu_entry("表格导入导出", "people-workbooks", section="people", order=60, visible=_may_use_workbooks)
