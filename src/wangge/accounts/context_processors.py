"""What the navigation offers: only the pages a user may open."""

from . import permissions


def navigation(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "grid_pages": permissions.can_read_grid_pages(user),
            "reports": permissions.can_read_reports(user),
            "workbooks": permissions.can_edit_residents(user) or permissions.can_manage_organisations(user),
        }
    }
