"""Who keeps service facilities: officials whose scope holds the facility's community; the kinds
are the district's, kept by district-wide officials. Anyone reads the open facilities on the map."""

from django.core.exceptions import PermissionDenied

from wangge.accounts.permissions import is_district_wide, is_official
from wangge.geo.scope import scope_of

NOT_FOUND = "未找到该对象"


def can_keep_facilities(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and (user.is_superuser or is_official(user))


def can_keep_facility_kinds(user) -> bool:
    return can_keep_facilities(user) and (user.is_superuser or is_district_wide(user))


def require_facility_keeper(user) -> None:
    """Refused by role before any lookup, so the same 403 answers whichever object is named."""
    if not can_keep_facilities(user):
        raise PermissionDenied("只有区、街道、社区干部可以维护服务设施")


def require_kind_keeper(user) -> None:
    if user is not None and not can_keep_facility_kinds(user):
        raise PermissionDenied("服务设施类型由区级统一维护")


def covers(user, community_code: str) -> bool:
    return user is None or user.is_superuser or scope_of(user).covers(community_code)
