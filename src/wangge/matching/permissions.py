"""Who may read and keep supply and demand: one rule, one place, for the API and the services.

Officials keep the resources, needs and fairs of their subtree; grid workers gather and read the
needs of their grid; a resource provider's account keeps its own resources and confirms the
matches that name them. No actor (`None`) is the system: the console, the demo.
"""

from django.core.exceptions import PermissionDenied

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_official

# What the API answers for anything out of scope, found or not.
NOT_FOUND = "未找到该对象"


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def is_provider(user) -> bool:
    return _active(user) and user.role == Role.RESOURCE_PROVIDER


def is_grid_worker(user) -> bool:
    return _active(user) and user.role == Role.GRID_WORKER


def can_keep_matching(user) -> bool:
    """Resources of a subtree, needs' moves, fairs and the need side of a match: officials."""
    return _active(user) and (user.is_superuser or is_official(user))


def require_keeper(user) -> None:
    """Refused by role before any lookup, so the same 403 answers whichever object is named."""
    if not can_keep_matching(user):
        raise PermissionDenied("只有区、街道、社区干部可以办理供需对接")


def require_resource_reader(user) -> None:
    if not (can_keep_matching(user) or is_provider(user)):
        raise PermissionDenied("只有干部和资源提供方可以查看资源清单")


def require_need_reader(user) -> None:
    if not (can_keep_matching(user) or is_grid_worker(user)):
        raise PermissionDenied("只有干部和网格员可以查看需求清单")


def require_match_reader(user) -> None:
    """A fair's matches: officials, and providers for the matches of their own resources."""
    require_resource_reader(user)
