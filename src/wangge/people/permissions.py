"""Who may read and keep buildings, residents, grid staff and organisations, and read the people
reports: one rule, one place, for the pages, the API and the services alike.

A service checks its caller itself (`require`), then that every object it is handed lies in the
caller's scope (`require_found`), before it reads or writes anything else. No actor is the
system (the console commands, the demo, imports run by hand): it has every right, and works in
the scope it names, or the whole district.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_official
from wangge.geo.scope import Scope, scope_of

# What the API answers for any object out of scope, found or not (`wangge.core.errors`).
NOT_FOUND = "未找到该对象"


def can_edit_buildings(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_official(user) or user.role == Role.GRID_WORKER)


def can_read_residents(user) -> bool:
    """The residents' roll (masked) is for the officials and grid workers who look after them;
    departments, companies, organisations and the officers have no need of it (PIPL art. 6)."""
    return can_edit_buildings(user)


def can_edit_residents(user) -> bool:
    """Registering and updating residents: officials, and grid workers in their own grid."""
    return can_edit_buildings(user)


def can_issue_signup_codes(user) -> bool:
    """A resident's one-time sign-up code is handed over on a household visit: by the grid
    workers and officials who look after the resident, within their scope. A superuser as such
    visits nobody."""
    return user.is_authenticated and user.is_active and (is_official(user) or user.role == Role.GRID_WORKER)


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


def require(actor, allowed: Callable[..., bool], refusal: str) -> None:
    """Refuse `actor` (403, `refusal`) unless `allowed(actor)`; the system has every right."""
    if actor is not None and not allowed(actor):
        raise PermissionDenied(refusal)


def acting_scope(actor, scope: Scope | None = None) -> Scope:
    """The scope a service works in: the actor's own, narrowed to `scope` when that lies inside
    it (a scope passed along never widens it); for the system, `scope` or the whole district."""
    if actor is None:
        return scope or Scope.district()
    own = scope_of(actor)
    if scope is None or own.prefix is None or scope.prefix is None:
        return own if scope is None else Scope(None)
    if scope.prefix.startswith(own.prefix):
        return scope
    return own if own.prefix.startswith(scope.prefix) else Scope(None)


def require_covered(scope: Scope, *codes: str) -> None:
    """404 unless the scope covers every code (a grid's, a division's): out of scope reads as
    not found, so that a refusal neither confirms nor names what lies beyond it."""
    if not all(scope.covers(code) for code in codes):
        raise Http404(NOT_FOUND)


def require_found(objects: QuerySet, *items: Model | None) -> None:
    """404 unless every item (None skipped) is among `objects`, a selector's list through the
    caller's scope; as `require_covered`, an object out of scope reads as not found."""
    pks = {item.pk for item in items if item is not None}
    if pks and objects.filter(pk__in=pks).count() != len(pks):
        raise Http404(NOT_FOUND)
