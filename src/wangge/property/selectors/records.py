"""Compounds and companies as a caller may see them; anything else answers 404."""

from decimal import Decimal

from django.db.models import DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from wangge.geo.models import Division
from wangge.geo.scope import Scope, scope_of
from wangge.people.selectors.persons import registered_people

from ..models import (
    Backstop,
    CompanyService,
    CompanyStaff,
    Compound,
    CompoundBuilding,
    Dwelling,
    PropertyCompany,
)
from ..models.votes import OwnersVote
from ..permissions import can_keep_property, is_company_account


def _official_scope(user) -> Scope | None:
    if user is None:
        return Scope.district()
    return scope_of(user) if can_keep_property(user) else None


def active_services() -> QuerySet[CompanyService]:
    return CompanyService.objects.filter(ended_on__isnull=True)


def compounds_in_scope(scope: Scope) -> QuerySet[Compound]:
    """The compounds of a subtree, by their community's code."""
    return Compound.objects.filter(scope.q("community__code"))


def companies_in_scope(scope: Scope) -> QuerySet[PropertyCompany]:
    """Companies filed in a subtree or serving one of its compounds now."""
    serving = active_services().filter(scope.q("compound__community__code")).values("company_id")
    return PropertyCompany.objects.filter(scope.q("subdistrict__code") | Q(pk__in=serving))


def compounds_visible(user) -> QuerySet[Compound]:
    """Officials: the compounds of their subtree. A company: the compounds it serves now."""
    if user is not None and is_company_account(user):
        return Compound.objects.filter(pk__in=active_services().filter(company__accounts__user=user).values("compound_id"))
    scope = _official_scope(user)
    return compounds_in_scope(scope) if scope else Compound.objects.none()


def compound_get(user, compound_id: int) -> Compound:
    return get_object_or_404(compounds_visible(user).select_related("community__parent"), pk=compound_id)


def companies_visible(user) -> QuerySet[PropertyCompany]:
    """Officials: companies filed in their subtree or serving a compound of it. A company: itself."""
    if user is not None and is_company_account(user):
        return PropertyCompany.objects.filter(accounts__user=user)
    scope = _official_scope(user)
    return companies_in_scope(scope) if scope else PropertyCompany.objects.none()


def company_get(user, company_id: int) -> PropertyCompany:
    return get_object_or_404(companies_visible(user).select_related("subdistrict", "department"), pk=company_id)


def company_of(user) -> PropertyCompany | None:
    """The company a company account signs in for."""
    if user is None or not is_company_account(user):
        return None
    return PropertyCompany.objects.filter(accounts__user=user).first()


def company_by_credit_code(user, credit_code: str) -> PropertyCompany | None:
    """A company named by its credit code, found only within what the caller sees."""
    return companies_visible(user).filter(credit_code=credit_code).first()


SUBDISTRICT_KINDS = (Division.Kind.SUBDISTRICT, Division.Kind.ZONE)


def divisions_kept(user, *kinds: str) -> QuerySet[Division]:
    """The divisions of these kinds an official keeps records in (a zone counts as a subdistrict)."""
    scope = _official_scope(user)
    return Division.objects.filter(scope.q("code"), kind__in=kinds) if scope else Division.objects.none()


def with_registry_figures(compounds: QuerySet[Compound]) -> QuerySet[Compound]:
    """Compounds with their households (the registry's buildings), floor area (the dwellings)
    and the company serving them now: one query, subqueries per compound."""
    households = (
        CompoundBuilding.objects.filter(compound=OuterRef("pk")).order_by().values("compound")
        .annotate(n=Sum("building__households")).values("n")
    )
    area = Dwelling.objects.filter(compound=OuterRef("pk")).order_by().values("compound").annotate(a=Sum("area")).values("a")
    serving = active_services().filter(compound=OuterRef("pk"))
    return compounds.select_related("community").annotate(
        households=Coalesce(Subquery(households, output_field=IntegerField()), Value(0)),
        floor_area=Coalesce(Subquery(area, output_field=DecimalField(max_digits=14, decimal_places=2)), Value(Decimal("0.00"))),
        company_id=Subquery(serving.values("company_id")[:1]),
        company_name=Subquery(serving.values("company__name")[:1]),
    )


def registered_person(user, id_number: str, *, field: str = "id_number"):
    """The registered person with this ID number among those the caller's scope holds; a
    number held only outside it reads as not registered (the error names `field`)."""
    return registered_people(scope_of(user), [id_number], field=field)[0]


def owners_vote_get(user, vote_id: int):
    """An owners' vote of a compound the caller sees; 404 otherwise, as for the compound."""
    found = OwnersVote.objects.filter(pk=vote_id, compound__in=compounds_visible(user)).select_related("compound__community").first()
    if found is None:
        raise Http404("表决不存在或不在您的管辖范围内")
    return found


def compound_services(compound: Compound) -> QuerySet[CompanyService]:
    return compound.services.select_related("company", "project_manager").order_by("-started_on", "-pk")


def company_staff(company: PropertyCompany) -> QuerySet[CompanyStaff]:
    """Without the persons' encrypted fields (never decrypted for this list)."""
    return company.staff.select_related("person").only("post", "company", "person", "person__name", "person__party").order_by("post", "pk")


def backstop_of(subdistrict_id: int) -> Backstop | None:
    return Backstop.objects.filter(subdistrict_id=subdistrict_id).select_related("company").first()
