"""Reads of residents and households, scoped by the grid of the building they live in."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from wangge.geo.scope import Scope

from ..models import Household, PartyMembership, Person, SocialMembership
from .buildings import by_building
from .party import party_organisation_list
from .social import social_organisation_list
from .staff import post_list


def resident_list(scope: Scope) -> QuerySet[Person]:
    return Person.objects.filter(household__isnull=False).filter(by_building(scope, "household__building__"))


def resident_get(scope: Scope, person_id: int) -> Person:
    return get_object_or_404(resident_list(scope).select_related("household__building"), pk=person_id)


def household_list(scope: Scope) -> QuerySet[Household]:
    return Household.objects.filter(by_building(scope, "building__"))


def people_in_scope(scope: Scope) -> QuerySet[Person]:
    """The persons a caller may name by ID number: residents in scope, and anyone already
    holding a post on a grid in scope or belonging to a party or social organisation in scope
    (whose names the caller's own lists show already). Anyone else is unknown to the caller.
    """
    if scope.is_district:
        # The whole district: also those attached to nothing yet (an officer, a worker whose post ended).
        return Person.objects.all()
    return Person.objects.filter(
        Q(pk__in=resident_list(scope).values("pk"))
        | Q(pk__in=post_list(scope).values("person"))
        | Q(pk__in=PartyMembership.objects.filter(organisation__in=party_organisation_list(scope)).values("person"))
        | Q(pk__in=SocialMembership.objects.filter(organisation__in=social_organisation_list(scope)).values("person"))
    )


def person_by_id_number(scope: Scope, id_digest: str) -> Person | None:
    """The person in scope registered under an ID number's blind index, or None: someone
    registered outside the scope is as unknown as a number nobody holds."""
    return people_in_scope(scope).filter(id_digest=id_digest).first()


def registered_people(scope: Scope, numbers: list[str], *, field: str) -> list[Person]:
    """The persons in scope registered under these ID numbers (through the blind index), in
    order; any number nobody in scope holds is refused on `field`, in the same words whether
    or not someone outside the scope holds it."""
    from ..services.persons import id_digest

    digests = [id_digest(number) for number in numbers]
    found = {p.id_digest: p for p in people_in_scope(scope).filter(id_digest__in=digests)}
    unknown = sum(1 for d in digests if d not in found)
    if unknown:
        raise ValidationError({field: f"未登记的人员：{unknown} 个身份证号，请先登记为居民或网格力量"})
    return [found[d] for d in digests]


def accounts_with_mobile(mobile: str, among: QuerySet) -> list[int]:
    """The accounts among `among` (a queryset of user ids) whose registered person has exactly
    this mobile. Phones are stored encrypted with no blind index, so the few persons linked to
    those accounts are read and compared whole: never a partial match."""
    found = Person.objects.filter(user_id__in=among).exclude(phone="").values_list("user_id", "phone")
    return [user_id for user_id, phone in found if phone == mobile]
