"""Who may read and keep Red Property's records: one rule, one place, for pages, API and services.

Officials keep the compounds, companies, backstops and party work of their subtree; a property
company's accounts read their own company, its compounds and cases, and keep their own staff.
No actor (`None`) is the system: the console, the demo.
"""

from django.core.exceptions import PermissionDenied

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_official

# What the API answers for anything out of scope, found or not.
NOT_FOUND = "未找到该对象"


def is_company_account(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.PROPERTY_COMPANY


def can_keep_property(user) -> bool:
    """Compounds, companies, services, backstops, committees, party work: officials."""
    return user.is_authenticated and user.is_active and (user.is_superuser or is_official(user))


def can_read_property(user) -> bool:
    return can_keep_property(user) or is_company_account(user)


def require_property_reader(user) -> None:
    """Refused by role before any lookup, so the same 403 answers whichever object is named."""
    if not can_read_property(user):
        raise PermissionDenied("只有干部和物业服务企业可以查看物业信息")


def require_property_keeper(user) -> None:
    """Refused by role before any lookup, as `require_property_reader`."""
    if not can_keep_property(user):
        raise PermissionDenied("只有区、街道、社区干部可以维护物业信息")


def can_read_property_reports(user) -> bool:
    """The platform page and the reports name every company of a subtree: officials."""
    return can_keep_property(user)

