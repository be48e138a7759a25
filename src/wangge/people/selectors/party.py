"""Reads of grid party organisations and their report."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from wangge.geo.models import Grid
from wangge.geo.scope import Scope
from wangge.geo.selectors import basic_grids

from ..models import PartyOrganisation
from ..services.party import organisation_rule_errors


def party_organisation_list(scope: Scope) -> QuerySet[PartyOrganisation]:
    """Organisations attached to a grid in scope, or, for officials, to a community in scope."""
    in_scope = PartyOrganisation.objects.filter(scope.q("grids__code") | scope.q("community__code")).values("pk")
    return PartyOrganisation.objects.filter(pk__in=in_scope)


def party_organisation_get(scope: Scope, organisation_id: int) -> PartyOrganisation:
    return get_object_or_404(party_organisation_list(scope).select_related("community", "secretary"), pk=organisation_id)


def grids_without_organisation(scope: Scope) -> QuerySet[Grid]:
    return basic_grids(scope).filter(party_organisations__isnull=True).order_by("code")


def grid_party_organisation_count(scope: Scope) -> int:
    return party_organisation_list(scope).filter(grids__isnull=False).distinct().count()


def party_report(scope: Scope) -> dict:
    """Grids without an organisation, and organisations that break a rule, with the reasons."""
    breaking = []
    for organisation in party_organisation_list(scope).select_related("secretary").order_by("name"):
        errors = organisation_rule_errors(organisation)
        if errors:
            problems = [m for messages in errors.values() for m in messages]
            codes = sorted(organisation.grids.values_list("code", flat=True))
            breaking.append({"id": organisation.pk, "name": organisation.name, "grid_codes": codes, "problems": problems})
    return {
        "grids_without_organisation": [{"code": g.code, "name": g.name} for g in grids_without_organisation(scope)],
        "organisations_breaking_rules": breaking,
    }
