"""Who may do what: small predicates, composed where they are used."""

from .models import Role
from .scope import scope_of


def is_official(user) -> bool:
    return user.is_authenticated and user.role in {Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL}


def is_district_wide(user) -> bool:
    return scope_of(user).is_district


def can_manage_grid_layers(user) -> bool:
    """Importing and activating layers changes the whole district's net."""
    return user.is_authenticated and (user.is_superuser or (user.role == Role.DISTRICT_OFFICIAL and is_district_wide(user)))


def can_edit_grids(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_official(user))


def can_edit_buildings(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_official(user) or user.role == Role.GRID_WORKER)


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
