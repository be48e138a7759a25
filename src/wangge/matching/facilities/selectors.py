"""Reads of service facilities: the officials' through their scope; the public's only the open
facilities, nearest first from a point, with distances measured on the ellipsoid by geo."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from wangge.geo.geometry.transform import distance_m
from wangge.geo.scope import scope_of

from ..models_facilities import Facility, FacilityKind
from .permissions import NOT_FOUND, can_keep_facilities


def facilities_visible(user) -> QuerySet[Facility]:
    if not can_keep_facilities(user):
        return Facility.objects.none()
    found = Facility.objects.select_related("kind")
    return found if user.is_superuser else found.filter(scope_of(user).q("community_code"))


def facility_get(user, facility_id: int) -> Facility:
    found = facilities_visible(user).filter(pk=facility_id).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def kind_list() -> QuerySet[FacilityKind]:
    return FacilityKind.objects.all()


def public_facilities(kind: FacilityKind | None = None) -> QuerySet[Facility]:
    """What the portal's map shows: every facility with its status (one under maintenance is
    shown as such, so nobody walks to a closed door)."""
    found = Facility.objects.select_related("kind").order_by("kind__order", "name", "pk")
    return found.filter(kind=kind) if kind is not None else found


@dataclass(frozen=True)
class Near:
    facility: Facility
    metres: float


def nearest(kind: FacilityKind, lon: float, lat: float, count: int) -> list[Near]:
    """The `count` open facilities of `kind` nearest to the point, nearest first. A kind holds
    tens of facilities in a district, so each distance is measured rather than indexed."""
    found = [Near(f, distance_m(lon, lat, f.lon, f.lat)) for f in public_facilities(kind).filter(status=Facility.Status.OPEN)]
    return sorted(found, key=lambda near: (near.metres, near.facility.pk))[:count]
