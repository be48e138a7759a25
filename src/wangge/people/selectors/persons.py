"""Reads of residents and households, scoped by the grid of the building they live in."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from wangge.accounts.scope import Scope

from ..models import Household, Person
from .buildings import by_building


def resident_list(scope: Scope) -> QuerySet[Person]:
    return Person.objects.filter(household__isnull=False).filter(by_building(scope, "household__building__"))


def resident_get(scope: Scope, person_id: int) -> Person:
    return get_object_or_404(resident_list(scope).select_related("household__building"), pk=person_id)


def household_list(scope: Scope) -> QuerySet[Household]:
    return Household.objects.filter(by_building(scope, "building__"))


def person_by_id_number(id_digest: str) -> Person | None:
    """The person registered under an ID number's blind index, wherever they live.

    For matching an imported or entered ID number to a known person only; it shows nothing
    of that person to the caller.
    """
    return Person.objects.filter(id_digest=id_digest).first()


def people_by_id_numbers(numbers: list[str]) -> tuple[dict[str, Person], list[str]]:
    """Known persons by ID number (through the blind index), and the numbers nobody holds."""
    from ..services.persons import id_digest

    digests = {number: id_digest(number) for number in numbers}
    found = {p.id_digest: p for p in Person.objects.filter(id_digest__in=digests.values())}
    known = {number: found[d] for number, d in digests.items() if d in found}
    return known, [n for n in numbers if n not in known]
