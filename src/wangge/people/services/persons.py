"""Writes to persons and households: residents registered in a dwelling, and anyone else the
grid knows by ID number (staff, party members, members of social organisations).

`person_prepare` is the one place that checks a person's fields; single writes and workbook
imports both go through it, so a rule holds the same way in both.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from wangge.core import pii
from wangge.core.contacts import normalise_phone
from wangge.geo.scope import Scope

from ..identity import parse_id_number
from ..models import Building, CareCategory, Household, Person
from ..permissions import (
    acting_scope,
    can_edit_residents,
    can_manage_organisations,
    require,
    require_found,
)
from ..selectors.buildings import building_list
from ..selectors.persons import people_in_scope, resident_list

PERSON_FIELDS = ("name", "phone", "ethnicity", "religion", "health", "residence", "party", "retired_cadre")
ID_INDEX = "id"
# One answer for every number the caller can neither find in scope nor register: held by
# someone outside the scope, or held by nobody while the caller is below the district.
# Telling these apart would tell who is registered where.
NOT_REGISTRABLE = "该身份证号无法在您负责的范围内登记：请由该人员居住地所在社区登记，或由上级部门办理"
RESIDENTS_REFUSED = "没有权限维护居民信息"


def id_digest(id_number: str) -> str:
    return pii.blind_index(ID_INDEX, id_number.strip().upper())


def person_prepare(*, id_number: str, person: Person | None = None, **fields) -> Person:
    """A person with `fields` applied and checked (not saved); every bad field in one error."""
    person = person or Person()
    errors: dict[str, list[str]] = {}
    if id_number is not None and not str(id_number).strip():
        errors["id_number"] = ["不能为空"]
    elif id_number is not None:
        try:
            parsed = parse_id_number(id_number)
            person.id_number, person.birth_date, person.sex = parsed.number, parsed.birth_date, parsed.sex
            person.id_digest = id_digest(parsed.number)
        except ValueError as reason:
            errors["id_number"] = [str(reason)]
    for key in PERSON_FIELDS:
        if fields.get(key) is not None:
            value = fields[key]
            setattr(person, key, value.strip() if isinstance(value, str) else value)
    if person.phone:
        try:
            person.phone = normalise_phone(person.phone)
        except ValueError as reason:
            errors["phone"] = [str(reason)]
    try:
        person.full_clean(exclude=["id_number", "phone", "id_digest", "birth_date", "sex", "household", "user"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return person


def care_categories_named(labels: Iterable[str]) -> list[CareCategory]:
    """Care categories by name or code; unknown labels raise with the list of valid names."""
    known = {c.name: c for c in CareCategory.objects.all()} | {c.code: c for c in CareCategory.objects.all()}
    labels = [label.strip() for label in labels if label and label.strip()]
    unknown = [label for label in labels if label not in known]
    if unknown:
        valid = "、".join(c.name for c in CareCategory.objects.all())
        raise ValidationError({"care_categories": f"未知的关怀类别：{'、'.join(unknown)}（可选：{valid}）"})
    return list(dict.fromkeys(known[label] for label in labels))


def _require_residence(person: Person) -> None:
    if person.residence not in Person.Residence.values:
        raise ValidationError({"residence": "人口类型应为户籍人口或流动人口"})


def _refuse_registered(person: Person, scope: Scope) -> None:
    """Refuses an ID number someone else holds; only a holder in scope is said to be registered."""
    existing = Person.objects.filter(id_digest=person.id_digest).exclude(pk=person.pk)
    if existing.filter(pk__in=people_in_scope(scope).values("pk")).exists():
        raise ValidationError({"id_number": "该身份证号已登记"})
    if existing.exists():
        raise ValidationError({"id_number": NOT_REGISTRABLE})


def _may_register(person: Person, scope: Scope) -> bool:
    """Whether a person unknown in scope may be registered here (not as a resident).

    Only the district, which sees every person, registers someone who lives nowhere in its
    communities: below it, registering a number that someone outside the scope already holds
    would have to be refused, and that refusal would tell that the number is held. So every
    number not found in scope gets the same answer below the district, held or not.
    """
    return scope.is_district and not Person.objects.filter(id_digest=person.id_digest).exists()


def household_for(*, scope: Scope, building: Building, unit: str, room: str) -> Household:
    """The dwelling `unit`/`room` of a building in scope, registered on first use."""
    require_found(building_list(scope), building)
    unit, room = (unit or "").strip(), (room or "").strip()
    if not room:
        raise ValidationError({"room": "户室不能为空"})
    household, _ = Household.objects.get_or_create(building=building, unit=unit, room=room)
    return household


@transaction.atomic
def resident_create(
    *, scope: Scope, building: Building, unit: str, room: str, id_number: str, care_categories: Iterable[str] = (), actor=None, **fields
) -> Person:
    """Register a resident in a dwelling of a building in scope (the dwelling too, if new)."""
    require(actor, can_edit_residents, RESIDENTS_REFUSED)
    scope = acting_scope(actor, scope)
    fields.setdefault("residence", Person.Residence.REGISTERED)
    person = person_prepare(id_number=id_number, **fields)
    _require_residence(person)
    _refuse_registered(person, scope)
    categories = care_categories_named(care_categories)
    person.household = household_for(scope=scope, building=building, unit=unit, room=room)
    person.save()
    person.care_categories.set(categories)
    return person


@transaction.atomic
def resident_update(*, scope: Scope, person: Person, id_number: str | None = None, care_categories: Iterable[str] | None = None, actor=None, **fields) -> Person:
    require(actor, can_edit_residents, RESIDENTS_REFUSED)
    scope = acting_scope(actor, scope)
    require_found(resident_list(scope), person)
    person_prepare(id_number=id_number, person=person, **fields)
    _require_residence(person)
    _refuse_registered(person, scope)
    person.save()
    if care_categories is not None:
        person.care_categories.set(care_categories_named(care_categories))
    return person


@transaction.atomic
def resident_move_out(*, person: Person, actor=None) -> Person:
    """A resident leaves the grid's roll; a person still serving on a grid, in an organisation
    or a community committee, or named by another app's record (a dwelling's owner), stays
    known; anyone else is removed."""
    require(actor, can_edit_residents, RESIDENTS_REFUSED)
    require_found(resident_list(acting_scope(actor)), person)
    person.care_categories.clear()
    if person.posts.exists() or person.party_memberships.exists() or person.social_memberships.exists() or person.committee_posts.exists():
        return _homeless(person)
    try:
        with transaction.atomic():
            person.delete()
    except ProtectedError:
        # Still named by a record of an app above (an owner of a dwelling, a company's staff).
        return _homeless(person)
    return person


def _homeless(person: Person) -> Person:
    person.household, person.residence = None, ""
    person.save(update_fields=["household", "residence"])
    return person


def person_find_or_create(*, scope: Scope, id_number: str, actor=None, **fields) -> Person:
    """The person in scope with this ID number, or a new one (not a resident) made from `fields`.

    An existing person's details are left as they are: an office registering a volunteer does
    not overwrite what the resident's own community keeps. A person outside the scope is not
    found, and their number cannot be registered again: refused as `NOT_REGISTRABLE`. Those
    who keep the grid staff and organisations register them.
    """
    require(actor, can_manage_organisations, "没有权限登记人员")
    scope = acting_scope(actor, scope)
    prepared = person_prepare(id_number=id_number, **fields)
    existing = people_in_scope(scope).filter(id_digest=prepared.id_digest).first()
    if existing is not None:
        return existing
    if not _may_register(prepared, scope):
        raise ValidationError({"id_number": NOT_REGISTRABLE})
    prepared.save()
    return prepared
