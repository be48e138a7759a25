"""Who may do what with service projects: small predicates, one place, for API, pages and services.

Officials read the projects of their subtree. The community's party organisation (community
officials) drafts, proposes, carries out and accepts; the subdistrict files and rejects; the
district keeps the categories. No actor (`None`) is the system: the console, the demo, the
round's count.
"""

from django.core.exceptions import PermissionDenied

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_district_wide, is_official
from wangge.geo.scope import scope_of

# What the API answers for anything out of scope, found or not.
NOT_FOUND = "未找到该对象"


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_read_projects(user) -> bool:
    return _active(user) and (user.is_superuser or is_official(user))


def require_project_reader(user) -> None:
    """Refused by role before any lookup, so the same 403 answers whichever object is named."""
    if not can_read_projects(user):
        raise PermissionDenied("只有区、街道、社区干部可以查看项目管理信息")


def covers(user, community_code: str) -> bool:
    return _active(user) and (user.is_superuser or (is_official(user) and scope_of(user).covers(community_code)))


def is_community_actor(user, community_code: str) -> bool:
    """The community's party organisation: a community official of that community."""
    return _active(user) and (user.is_superuser or (user.role == Role.COMMUNITY_OFFICIAL and scope_of(user).covers(community_code)))


def is_subdistrict_actor(user, community_code: str) -> bool:
    """The subdistrict over the community: its officials file and reject."""
    return _active(user) and (user.is_superuser or (user.role == Role.SUBDISTRICT_OFFICIAL and scope_of(user).covers(community_code)))


def may_keep_categories(user) -> bool:
    return _active(user) and (user.is_superuser or (is_official(user) and is_district_wide(user)))


def require_category_keeper(user) -> None:
    if user is not None and not may_keep_categories(user):
        raise PermissionDenied("只有区级干部可以维护项目类别")


# The actors the workflow's table names, each a predicate of (user, community code).
ACTORS = {"community": is_community_actor, "subdistrict": is_subdistrict_actor}
ACTOR_NAMES = {"community": "社区党组织（社区干部）", "subdistrict": "街道干部"}


def require_actor(user, actor: str, community_code: str) -> None:
    if user is not None and not ACTORS[actor](user, community_code):
        raise PermissionDenied(f"此操作须由{ACTOR_NAMES[actor]}办理")
