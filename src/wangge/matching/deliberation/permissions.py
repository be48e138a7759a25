"""Who keeps deliberations: officials whose scope holds the deliberation's community; the
proposal is the community party organisation's, so a community official's."""

from django.core.exceptions import PermissionDenied

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_official
from wangge.geo.scope import scope_of

NOT_FOUND = "未找到该对象"


def can_keep_deliberations(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and (user.is_superuser or is_official(user))


def require_deliberation_keeper(user) -> None:
    """Refused by role before any lookup, so the same 403 answers whichever object is named."""
    if not can_keep_deliberations(user):
        raise PermissionDenied("只有区、街道、社区干部可以办理议事协商")


def require_in_scope(user, community_code: str) -> None:
    """The services' own check (the API has already looked the object up in scope)."""
    if user is None:
        return
    require_deliberation_keeper(user)
    if not (user.is_superuser or scope_of(user).covers(community_code)):
        raise PermissionDenied(NOT_FOUND)


def require_proposer(user, community_code: str) -> None:
    require_in_scope(user, community_code)
    if user is not None and not user.is_superuser and user.role != Role.COMMUNITY_OFFICIAL:
        raise PermissionDenied("提议须由社区党组织提出：只有本社区干部可以提议")
