"""Who may read and keep buildings, residents, grid staff and organisations, and read the people
reports: one rule, one place, for the pages, the API and the services alike."""

from django.core.exceptions import PermissionDenied

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_official


def can_edit_buildings(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_official(user) or user.role == Role.GRID_WORKER)


def can_read_residents(user) -> bool:
    """The residents' roll (masked) is for the officials and grid workers who look after them;
    departments, companies, organisations and the officers have no need of it (PIPL art. 6)."""
    return can_edit_buildings(user)


def can_edit_residents(user) -> bool:
    """Registering and updating residents: officials, and grid workers in their own grid."""
    return can_edit_buildings(user)


def can_manage_organisations(user) -> bool:
    """Grid posts, party organisations and social organisations are kept by officials."""
    return user.is_authenticated and (user.is_superuser or is_official(user))


def can_read_reports(user) -> bool:
    """The staffing and party-organisation reports are for officials."""
    return user.is_authenticated and (user.is_superuser or is_official(user))


def can_read_grid_pages(user) -> bool:
    """A grid's pages list its residents (masked): for its workers and for officials."""
    return user.is_authenticated and (user.is_superuser or is_official(user) or user.role == Role.GRID_WORKER)


def can_unmask(user) -> bool:
    """Seeing a person's details in full (with a reason, audited): officials and grid workers,
    within their scope. Nobody else: not the three officers, and being a superuser adds nothing
    (PIPL art. 6: no more than the purpose needs)."""
    return user.is_authenticated and user.is_active and (is_official(user) or user.role == Role.GRID_WORKER)

def require_report_reader(user) -> None:
    """The staffing and party-organisation reports name every grid short of staff in the
    caller's scope: officials read them, grid workers see their own grid's pages instead."""
    if not can_read_reports(user):
        raise PermissionDenied("只有区、街道、社区干部可以查看此报表")
