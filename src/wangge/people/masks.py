"""How a person is shown: the one place that decides which fields leave the server masked.

Residents are shown with name, ID number and phone masked, and ethnicity, religion and health
only as present or absent. People in a public role (grid staff, party organisation and social
organisation rosters) keep their name, since it is posted on the grid's notice board; their ID
number and phone stay masked. Birth date is never shown (it is part of the ID number); age is.

The full values leave only through `unmasked_person` / `unmasked_resident`, and only for an
unmask with a stated reason or an approved export, each of which is audited by its caller.
"""

from datetime import date

from wangge.core import pii

from .models import Person


def age(birth_date: date, today: date | None = None) -> int:
    today = today or date.today()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def unmasked_person(person: Person) -> dict:
    """The full name, ID number and phone: what `shown_person` masks."""
    return {"name": person.name, "id_number": person.id_number, "phone": person.phone}


def unmasked_resident(person: Person) -> dict:
    """Everything `shown_resident` masks, in full."""
    return {**unmasked_person(person), "ethnicity": person.ethnicity, "religion": person.religion, "health": person.health}


def shown_person(person: Person, *, public_role: bool = False, unmasked: bool = False) -> dict:
    shown = {
        "id": person.pk,
        "name": person.name if public_role else pii.mask_name(person.name),
        "id_number": pii.mask_id(person.id_number),
        "phone": pii.mask_phone(person.phone),
        "sex": person.get_sex_display(),
        "age": age(person.birth_date),
        "party": person.get_party_display(),
    }
    return {**shown, **unmasked_person(person)} if unmasked else shown


def shown_resident(person: Person, *, unmasked: bool = False) -> dict:
    shown = {
        **shown_person(person),
        "ethnicity": pii.mask_text(person.ethnicity),
        "religion": pii.mask_text(person.religion),
        "health": pii.mask_text(person.health),
        "residence": person.get_residence_display(),
        "retired_cadre": person.retired_cadre,
        "care_categories": [c.name for c in person.care_categories.all()],
    }
    return {**shown, **unmasked_resident(person)} if unmasked else shown
