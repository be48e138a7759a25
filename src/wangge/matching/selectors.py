"""Resources, needs and fairs as a caller may see them; anything else answers 404.

Officials see the records of their subtree (by community code), grid workers the needs of
their grid (by grid code), a resource provider its own resources and the matches that name
them. No user (`None`) is the system, which sees everything.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from wangge.geo.scope import Scope, scope_of

from .models import Fair, FairMatch, Need, Resource
from .permissions import NOT_FOUND, can_keep_matching, is_grid_worker, is_provider


def _official_scope(user) -> Scope | None:
    if user is None:
        return Scope.district()
    return scope_of(user) if can_keep_matching(user) else None


def _found(queryset: QuerySet, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def resources_in_scope(scope: Scope) -> QuerySet[Resource]:
    return Resource.objects.filter(scope.q("community_code"))


def resources_visible(user) -> QuerySet[Resource]:
    """Officials: the resources of their subtree. A provider: its own."""
    if user is not None and is_provider(user):
        return Resource.objects.filter(owner=user)
    scope = _official_scope(user)
    return resources_in_scope(scope) if scope else Resource.objects.none()


def resource_get(user, resource_id: int) -> Resource:
    return _found(resources_visible(user), resource_id)


def needs_in_scope(scope: Scope) -> QuerySet[Need]:
    """The needs of a subtree: by community for a division's scope, by grid for a grid's."""
    return Need.objects.filter(scope.q("community_code") | scope.q("grid_code"))


def needs_visible(user) -> QuerySet[Need]:
    if user is not None and is_grid_worker(user):
        return needs_in_scope(scope_of(user))
    scope = _official_scope(user)
    return needs_in_scope(scope) if scope else Need.objects.none()


def need_get(user, need_id: int) -> Need:
    return _found(needs_visible(user), need_id)


def _ancestor_codes(prefix: str) -> list[str]:
    """The 12-digit codes of the subdistrict above a community's prefix (a fair of the
    subdistrict is one the community takes part in)."""
    return [prefix[:9] + "000"] if len(prefix) >= 12 else []


def fairs_visible(user) -> QuerySet[Fair]:
    """Officials: the fairs held in their subtree and the subdistrict's fair their community
    takes part in. A provider: the fairs whose matches name its resources."""
    if user is not None and is_provider(user):
        return Fair.objects.filter(pk__in=FairMatch.objects.filter(resource__owner=user).values("fair_id"))
    scope = _official_scope(user)
    if scope is None or scope.prefix is None:
        return Fair.objects.none()
    return Fair.objects.filter(scope.q("division_code") | Q(division_code__in=_ancestor_codes(scope.prefix)))


def fair_get(user, fair_id: int) -> Fair:
    return _found(fairs_visible(user), fair_id)


def fair_organised(user, fair: Fair) -> bool:
    """Whether the user's scope holds the fair's whole area (it may run the fair)."""
    if user is None:
        return True
    scope = _official_scope(user)
    return bool(scope and scope.covers(fair.division_code))


def matches_visible(user) -> QuerySet[FairMatch]:
    """Officials: the matches of the fairs they see whose need or resource is theirs, or of the
    fairs they organise. A provider: the matches of its own resources."""
    matches = FairMatch.objects.select_related("need", "resource", "fair")
    if user is not None and is_provider(user):
        return matches.filter(resource__owner=user)
    scope = _official_scope(user)
    if scope is None:
        return FairMatch.objects.none()
    return matches.filter(fair__in=fairs_visible(user)).filter(
        scope.q("need__community_code") | scope.q("resource__community_code") | scope.q("fair__division_code")
    )


def match_get(user, match_id: int) -> FairMatch:
    return _found(matches_visible(user), match_id)
