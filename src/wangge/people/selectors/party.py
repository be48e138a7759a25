"""Reads of grid party organisations and their report."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from wangge.geo.models import Grid
from wangge.geo.scope import Scope
from wangge.geo.selectors import basic_grids

from ..models import PartyOrganisation, Person
from ..services.party import organisations_rule_errors


def party_organisation_list(scope: Scope) -> QuerySet[PartyOrganisation]:
    """Grid organisations attached to a grid in scope, or, for officials, to a community in scope."""
    grounded = PartyOrganisation.objects.filter(ground=PartyOrganisation.Ground.GRID)
    in_scope = grounded.filter(scope.q("grids__code") | scope.q("community__code")).values("pk")
    return PartyOrganisation.objects.filter(pk__in=in_scope)


def party_organisation_get(scope: Scope, organisation_id: int) -> PartyOrganisation:
    return get_object_or_404(party_organisation_list(scope).select_related("community", "secretary"), pk=organisation_id)


def grids_without_organisation(scope: Scope) -> QuerySet[Grid]:
    return basic_grids(scope).filter(party_organisations__isnull=True).order_by("code")


def grid_party_organisation_count(scope: Scope) -> int:
    return party_organisation_list(scope).filter(grids__isnull=False).distinct().count()


def with_shown_facts(organisations: QuerySet[PartyOrganisation]) -> QuerySet[PartyOrganisation]:
    """Organisations with what the report's page shows, in one query per relation: grids
    without their outlines, persons without their encrypted fields (never decrypted here)."""
    persons = Person.objects.only("pk", "name", "party")
    return organisations.select_related("community").only("pk", "name", "kind", "secretary", "community__name").prefetch_related(
        Prefetch("grids", Grid.objects.only("pk", "code", "name").order_by("code")), Prefetch("members", persons.order_by("pk")), Prefetch("secretary", persons),
    )


def party_report(scope: Scope) -> dict:
    """Grids without an organisation, and organisations that break a rule, with the reasons:
    every organisation judged in a fixed number of queries."""
    organisations = party_organisation_list(scope)
    errors = organisations_rule_errors(organisations)
    breaking_ids = [pk for pk, found in errors.items() if found]
    codes: dict[int, list[str]] = {}
    for pk, code in PartyOrganisation.grids.through.objects.filter(partyorganisation_id__in=breaking_ids).order_by("grid__code").values_list("partyorganisation_id", "grid__code"):
        codes.setdefault(pk, []).append(code)
    breaking = [
        {"id": pk, "name": name, "grid_codes": codes.get(pk, []), "problems": [m for messages in errors[pk].values() for m in messages]}
        for pk, name in PartyOrganisation.objects.filter(pk__in=breaking_ids).order_by("name").values_list("pk", "name")
    ]
    return {
        "grids_without_organisation": grids_without(scope),
        "organisations_breaking_rules": breaking,
    }


def party_rows(pks: list[int]) -> list[dict]:
    """The report's rows for the organisations `pks` (already the caller's, in the order given):
    each with its grids, secretary, members and the rules it breaks (none when it keeps them).
    The rules are judged for these rows only, so that a page costs the same whatever the scope."""
    on_page = PartyOrganisation.objects.filter(pk__in=list(pks))
    shown = {o.pk: o for o in with_shown_facts(on_page)}
    errors = organisations_rule_errors(on_page)
    return [
        {
            "id": o.pk, "name": o.name, "kind": o.get_kind_display(), "community": o.community.name,
            "grids": [{"code": g.code, "name": g.name} for g in o.grids.all()],
            "secretary": o.secretary.name if o.secretary else "",
            "members": len(o.members.all()), "full_members": sum(1 for m in o.members.all() if m.party == Person.Party.FULL),
            "problems": [m for messages in errors[o.pk].values() for m in messages],
        }
        for o in (shown[pk] for pk in pks)
    ]


def grids_without(scope: Scope) -> list[dict]:
    return [{"code": g.code, "name": g.name} for g in grids_without_organisation(scope).only("code", "name")]
