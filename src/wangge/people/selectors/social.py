"""Reads of community social organisations."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from wangge.geo.scope import Scope

from ..models import SocialOrganisation


def social_organisation_list(scope: Scope) -> QuerySet[SocialOrganisation]:
    """Organisations of a community in scope, or serving a grid in scope."""
    in_scope = SocialOrganisation.objects.filter(scope.q("community__code") | scope.q("grids__code")).values("pk")
    return SocialOrganisation.objects.filter(pk__in=in_scope)


def social_organisation_get(scope: Scope, organisation_id: int) -> SocialOrganisation:
    return get_object_or_404(social_organisation_list(scope).select_related("community"), pk=organisation_id)
