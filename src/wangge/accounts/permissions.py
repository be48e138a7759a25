"""Who may do what: small predicates, composed where they are used."""

from django.conf import settings

from .models import Role
from .models.users import OFFICERS, OFFICIALS


def is_official(user) -> bool:
    return user.is_authenticated and user.is_official


def is_district_wide(user) -> bool:
    return user.is_authenticated and user.is_district_wide


def can_read_audit(user) -> bool:
    """The audit trail is read by the auditor and nobody else (三员分立)."""
    return user.is_authenticated and user.is_active and user.role == Role.AUDITOR


def can_manage_accounts(user) -> bool:
    """Creating, disabling, enabling accounts and resetting passwords: the system administrator."""
    return user.is_authenticated and user.is_active and user.role == Role.SYSTEM_ADMIN


def can_grant_roles(user) -> bool:
    """Roles and data scopes: the security administrator (三员分立)."""
    return user.is_authenticated and user.is_active and user.role == Role.SECURITY_ADMIN


def can_list_accounts(user) -> bool:
    return can_manage_accounts(user) or can_grant_roles(user)


def must_use_totp(user) -> bool:
    """Officials with write access and the three officers sign in with a second factor. The
    development superuser from `wangge ensureadmin` does not: production has no superuser."""
    if user.is_superuser and settings.WANGGE_ENV != "production":
        return False
    return user.role in {*OFFICIALS, *OFFICERS}


def can_approve_exports(user) -> bool:
    """An unmasked bulk export is approved by the security administrator (三员分立: the officer
    for security policy), never by the requester."""
    return user.is_authenticated and user.is_active and user.role == Role.SECURITY_ADMIN
