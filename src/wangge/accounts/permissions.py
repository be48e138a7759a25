"""Who may do what: small predicates, composed where they are used."""

from django.conf import settings

from .models import Role
from .models.users import OFFICERS
from .scope import scope_of


def is_official(user) -> bool:
    return user.is_authenticated and user.role in {Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL}


def is_district_wide(user) -> bool:
    return scope_of(user).is_district


# Officials see their own node of the district tree and a grid worker their grid (the data scope
# narrows every figure). Department handlers have their department's queue and residents the
# public portal: neither reads the back-office dashboards. A role without a node sees nothing.
DASHBOARD_ROLES = {Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL, Role.GRID_WORKER}


def can_read_dashboards(user) -> bool:
    """Who may open the back-office dashboards (and see them in the menu)."""
    return bool(user.is_authenticated and user.is_active and user.role in DASHBOARD_ROLES and scope_of(user).prefix is not None)


def can_manage_grid_layers(user) -> bool:
    """Importing and activating layers changes the whole district's net."""
    return user.is_authenticated and (user.is_superuser or (user.role == Role.DISTRICT_OFFICIAL and is_district_wide(user)))


def can_edit_grids(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_official(user))


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
    return user.role in {Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL, *OFFICERS}


def can_unmask(user) -> bool:
    """Seeing a person's details in full (with a reason, audited): officials and grid workers,
    within their scope. Nobody else: not the three officers, and being a superuser adds nothing
    (PIPL art. 6: no more than the purpose needs)."""
    return user.is_authenticated and user.is_active and (is_official(user) or user.role == Role.GRID_WORKER)


def can_approve_exports(user) -> bool:
    """An unmasked bulk export is approved by the security administrator (三员分立: the officer
    for security policy), never by the requester."""
    return user.is_authenticated and user.is_active and user.role == Role.SECURITY_ADMIN
