"""Reads of residents and households, scoped by the grid of the building they live in."""

from django.core.exceptions import ValidationError
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


def registered_people(numbers: list[str], *, field: str) -> list[Person]:
    """The persons registered under these ID numbers (through the blind index), in order;
    any number nobody holds is refused on `field`. It shows nothing of those persons."""
    from ..services.persons import id_digest

    digests = [id_digest(number) for number in numbers]
    found = {p.id_digest: p for p in Person.objects.filter(id_digest__in=digests)}
    unknown = sum(1 for d in digests if d not in found)
    if unknown:
        raise ValidationError({field: f"未登记的人员：{unknown} 个身份证号，请先登记为居民或网格力量"})
    return [found[d] for d in digests]
