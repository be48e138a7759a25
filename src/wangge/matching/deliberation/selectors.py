"""Reads of deliberations, always through the caller's scope (the community subtree)."""

from django.db.models import QuerySet
from django.http import Http404

from wangge.geo.models import Division
from wangge.geo.scope import scope_of

from ..models_deliberation import Deliberation
from .permissions import NOT_FOUND, can_keep_deliberations
from .workflow import RESOLVED_STATUSES


def deliberations_visible(user) -> QuerySet[Deliberation]:
    if not can_keep_deliberations(user):
        return Deliberation.objects.none()
    return Deliberation.objects.filter(scope_of(user).q("community_code"))


def deliberation_get(user, deliberation_id: int) -> Deliberation:
    found = deliberations_visible(user).filter(pk=deliberation_id).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def deliberation_evidence(deliberation: Deliberation) -> dict:
    """What each step rests on, in order: opinions, consultations, sittings, moves."""
    return {
        "opinions": list(deliberation.opinions.select_related("gathered_by")),
        "consultations": list(deliberation.consultations.all()),
        "meetings": list(deliberation.meetings.all()),
        "steps": list(deliberation.steps.select_related("actor")),
    }


def communities_kept(user) -> QuerySet[Division]:
    """The communities the caller may open a deliberation in."""
    if not can_keep_deliberations(user):
        return Division.objects.none()
    return Division.objects.filter(scope_of(user).q("code"), kind=Division.Kind.COMMUNITY).order_by("code")


def resolved_deliberations(user, community_code: str) -> QuerySet[Deliberation]:
    """The deliberations of a community, in the caller's scope, that reached a resolution: what a
    service project may name as the decision behind it (`resolution_of`)."""
    return deliberations_visible(user).filter(community_code=community_code, status__in=RESOLVED_STATUSES)


def resolution_of(deliberation: Deliberation) -> str:
    return deliberation.resolution
