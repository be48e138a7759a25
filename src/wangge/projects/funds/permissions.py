"""Who may read and move the projects' money (the lead merges these into projects/permissions.py).

Community officials budget their own community's projects and record what they pay;
subdistrict officials (acting as finance) and district officials allocate, read and reverse.
Everyone else is refused by role before any lookup, so the same 403 answers whichever object is
named. No actor (`None`) is the system: the console, the demo.
"""

from django.core.exceptions import PermissionDenied

from wangge.accounts.models import Role

NOT_FOUND = "未找到该对象"
FINANCE = (Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL)


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def can_read_funds(user) -> bool:
    return _active(user) and (user.is_superuser or user.is_official)


def is_finance(user) -> bool:
    """District and subdistrict officials: they allocate, and reverse a disbursement."""
    return _active(user) and (user.is_superuser or user.role in FINANCE)


def is_community_official(user) -> bool:
    return _active(user) and user.role == Role.COMMUNITY_OFFICIAL


def require_funds_reader(user) -> None:
    if user is not None and not can_read_funds(user):
        raise PermissionDenied("只有区、街道、社区干部可以查看项目资金")


def require_finance(user) -> None:
    if user is not None and not is_finance(user):
        raise PermissionDenied("只有区、街道干部可以下达资金额度和冲销支出")


def require_budget_keeper(user) -> None:
    """Budget lines are set by the project's community or the finance above it."""
    if user is not None and not (is_community_official(user) or is_finance(user)):
        raise PermissionDenied("只有区、街道、社区干部可以编制项目预算")


def require_disburser(user) -> None:
    if user is not None and not (is_community_official(user) or (_active(user) and user.is_superuser)):
        raise PermissionDenied("只有项目所在社区的干部可以登记支出")


def require_district_keeper(user) -> None:
    """The district's lists (sources, forbidden expenditure): district officials."""
    if user is not None and not (_active(user) and (user.is_superuser or user.role == Role.DISTRICT_OFFICIAL)):
        raise PermissionDenied("只有区级干部可以维护资金规则")
