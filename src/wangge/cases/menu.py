"""事件 in the navigation: each role's own queue, and reporting for anyone who may report."""

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_official
from wangge.core.menu import register_menu_entry

from .permissions import can_report
from .selectors_pages import handles_departments


def _handles_cases_of_a_department(user) -> bool:
    return user.role == Role.DEPARTMENT_HANDLER or handles_departments(user)


def _works_a_grid(user) -> bool:
    return user.role == Role.GRID_WORKER


def _dispatches(user) -> bool:
    # There is no dispatcher role: the subdistrict and community officials dispatch their
    # area's cases, so they start on dispatch; the district official starts on the dashboard.
    return user.role in (Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL)


def _is_department_handler(user) -> bool:
    return user.role == Role.DEPARTMENT_HANDLER


def _is_resident(user) -> bool:
    return user.role == Role.RESIDENT


def register() -> None:
    register_menu_entry("事件派遣", "case-dispatch", section="cases", order=70, visible=is_official, lands=_dispatches)
    register_menu_entry("部门待办", "case-department", section="cases", order=71, visible=_handles_cases_of_a_department,
                        lands=_is_department_handler)
    register_menu_entry("网格事件", "case-grid", section="cases", order=72, visible=_works_a_grid)
    register_menu_entry("上报事件", "/report", section="cases", order=73, visible=can_report)
    register_menu_entry("我的上报", "/my-reports", section="cases", order=74, visible=can_report, lands=_is_resident)
