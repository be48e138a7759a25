"""What the navigation offers: only the pages a user may open."""

from wangge.cases.permissions import can_report
from wangge.cases.selectors_pages import handles_departments
from wangge.portal.office.selectors import may_use_office

from . import permissions
from .models import Role


def navigation(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "grid_pages": permissions.can_read_grid_pages(user),
            "reports": permissions.can_read_reports(user),
            "workbooks": permissions.can_edit_residents(user) or permissions.can_manage_organisations(user),
            "dashboard": permissions.can_read_dashboards(user),
            "grid_layers": permissions.can_manage_grid_layers(user),
            "portal_office": may_use_office(user),
            **_case_links(user),
        }
    }


def _case_links(user) -> dict:
    """事件: each role's own queue, and reporting for anyone who may report."""
    return {
        "case_dispatch": permissions.is_official(user),
        "case_department": user.role == Role.DEPARTMENT_HANDLER or handles_departments(user),
        "case_grid": user.role == Role.GRID_WORKER,
        "case_report": can_report(user),
    }
