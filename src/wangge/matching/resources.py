"""Writes to the resource list (资源清单): a provider keeps its own resources, officials those of
their subtree; every lookup goes through `selectors`, so another's resource is not found."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from wangge.core.audit_writes import audit_as
from wangge.geo.scope import scope_of

from . import selectors
from .checks import (
    choice_checked,
    count_checked,
    hours_checked,
    kinds_checked,
    text_checked,
    weekdays_checked,
)
from .kinds import Kind
from .models import Resource
from .permissions import can_keep_matching, is_provider
from .places import place_of

FIELDS = ("name", "kind", "serves", "description", "provider_kind", "provider_name", "capacity", "weekdays", "opens_at", "closes_at", "lon", "lat")


def _may_write(actor) -> None:
    if actor is not None and not (is_provider(actor) or can_keep_matching(actor)):
        raise PermissionDenied("只有干部和资源提供方可以登记资源")


def _checked(actor, values: dict) -> dict:
    """The resource's fields checked, each error naming its field; the place within the
    official's scope (a provider may offer a resource anywhere in the district)."""
    kind = choice_checked(values["kind"], Kind, field="kind", noun="资源类型")
    opens_at, closes_at = hours_checked(values["opens_at"], values["closes_at"], fields=("opens_at", "closes_at"))
    within = scope_of(actor) if actor is not None and not is_provider(actor) else None
    place = place_of(values["lon"], values["lat"], within=within)
    return {
        "name": text_checked(values["name"], field="name", noun="资源名称", max_length=100),
        "kind": kind,
        "serves": kinds_checked([*values.get("serves", []), kind], field="serves"),
        "description": text_checked(values.get("description", ""), field="description", noun="说明", max_length=1000, required=False),
        "provider_kind": choice_checked(values["provider_kind"], Resource.ProviderKind, field="provider_kind", noun="提供方类型"),
        "provider_name": text_checked(values["provider_name"], field="provider_name", noun="提供方名称", max_length=100),
        "capacity": count_checked(values["capacity"], field="capacity", noun="可供数量"),
        "weekdays": weekdays_checked(values["weekdays"], field="weekdays", empty_allowed=False),
        "opens_at": opens_at, "closes_at": closes_at,
        "lon": place.lon, "lat": place.lat, "community_code": place.community_code, "grid_code": place.grid_code,
    }


@transaction.atomic
def resource_create(*, actor, values: dict) -> Resource:
    """A resource offered by `actor` (a provider: its own) or kept by an official in scope."""
    _may_write(actor)
    resource = Resource(**_checked(actor, values), owner=actor if actor is not None and is_provider(actor) else None)
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def resource_update(*, actor, resource_id: int, values: dict) -> Resource:
    """The fields given changed; the others kept. Another's resource is not found (404)."""
    _may_write(actor)
    resource = selectors.resource_get(actor, resource_id)
    current = {f: getattr(resource, f) for f in FIELDS}
    for field, value in _checked(actor, {**current, **values}).items():
        setattr(resource, field, value)
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def resource_withdraw(*, actor, resource_id: int, reason: str = "") -> Resource:
    """Withdrawn from matching (停用); kept, since fairs' matches may name it."""
    _may_write(actor)
    resource = selectors.resource_get(actor, resource_id)
    resource.active = False
    audit_as(resource, "matching.resource.withdraw", user=actor, detail=reason)
    resource.save(update_fields=["active"])
    return resource
