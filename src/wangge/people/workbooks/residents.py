"""The residents workbook: one resident a row, registered in a dwelling of a building in scope.

Built for files of ten thousand rows: buildings, dwellings and registered ID numbers are
loaded once for the whole file, every row is checked by `person_prepare` (no query), and the
new dwellings, persons and care categories are written in bulk.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from wangge.geo.scope import Scope

from ..masks import shown_resident
from ..models import CareCategory, Household, Person
from ..selectors.buildings import building_list
from ..selectors.persons import people_in_scope, resident_list
from ..services.persons import NOT_REGISTRABLE, care_categories_named, person_prepare
from .lookups import (
    YES_NO,
    grids_by_code,
    labels,
    names_of,
    registered_digests,
    row_digests,
    split_list,
    unknown_grid,
)
from .sheets import Column, Problems, Row

BATCH = 2000
PERSON_KEYS = ("name", "phone", "ethnicity", "religion", "health", "residence", "party", "retired_cadre")


COLUMNS = (
    Column("姓名", "name", required=True),
    Column("身份证号", "id_number", required=True, text=True, note="18位公民身份号码，末位可为X"),
    Column("联系电话", "phone", text=True, note="11位手机号，或带区号的固定电话（如0371-12345678）"),
    Column("民族", "ethnicity"),
    Column("宗教信仰", "religion"),
    Column("健康状况", "health"),
    Column("人口类型", "residence", required=True, choices=labels(Person.Residence)),
    Column("政治面貌", "party", choices=labels(Person.Party), note="不填为群众"),
    Column("离退休干部", "retired_cadre", choices=YES_NO, note="不填为否"),
    Column("关怀类别", "care_categories", allowed=names_of(CareCategory), note="可填多个，用“、”分隔"),
    Column("网格编码", "grid_code", required=True, text=True, note="居住地所在三级网格的15位编码"),
    Column("街路巷或小区", "compound", note="与楼栋登记的一致"),
    Column("楼栋", "building", required=True, note="须是该网格内已登记的楼栋"),
    Column("单元", "unit", max_length=Household._meta.get_field("unit").max_length),
    Column("户室", "room", required=True, max_length=Household._meta.get_field("room").max_length, note="首次出现的户室自动登记为住户"),
)
EXPORT_HEADINGS = (*(c.heading for c in COLUMNS), "性别", "年龄", "地址")

Dwelling = tuple[int, str, str]  # building id, unit, room


@dataclass
class _Known:
    """What the rows are checked against, loaded once for the whole file."""

    grid_codes: set[str]
    buildings: dict[tuple[str, str, str], int]  # (grid code, compound, name) -> building id
    dwellings: dict[Dwelling, int]  # -> household id
    registered: set[str]  # ID digests already registered, anywhere
    registered_here: set[str]  # ... to persons in scope
    care: dict[str, CareCategory]  # by name and by code


def _load(scope: Scope, rows: list[Row]) -> _Known:
    codes = {row.values["grid_code"] for row in rows}
    digests = row_digests(rows, "id_number")
    buildings = building_list(scope).filter(grid_code__in=codes)
    dwellings = Household.objects.filter(building__in=buildings).values_list("building_id", "unit", "room", "pk")
    care = list(CareCategory.objects.all())
    return _Known(
        grid_codes=set(grids_by_code(scope, codes)),
        buildings={(g, c, n): pk for pk, g, c, n in buildings.values_list("pk", "grid_code", "compound", "name")},
        dwellings={(b, u, r): pk for b, u, r, pk in dwellings},
        registered=registered_digests(Person.objects.all(), digests),
        registered_here=registered_digests(people_in_scope(scope), digests),
        care={c.name: c for c in care} | {c.code: c for c in care},
    )


def _person(row: Row, known: _Known, first_seen: dict[str, int], problems: Problems) -> Person | None:
    values = row.values
    try:
        person = person_prepare(id_number=values["id_number"], **{k: values[k] for k in PERSON_KEYS})
    except ValidationError as error:
        problems.add_error(row.number, error)
        return None
    if person.id_digest in first_seen:
        problems.add(row.number, "id_number", f"与第 {first_seen[person.id_digest]} 行重复")
    elif person.id_digest in known.registered_here:
        problems.add(row.number, "id_number", "该身份证号已登记")
    elif person.id_digest in known.registered:
        problems.add(row.number, "id_number", NOT_REGISTRABLE)  # as `resident_create` answers
    first_seen.setdefault(person.id_digest, row.number)
    return person


def _care(row: Row, known: _Known, problems: Problems) -> list[CareCategory]:
    names = split_list(row.values["care_categories"])
    if any(name not in known.care for name in names):
        try:
            care_categories_named(names)  # only to be told, in the service's words, what is wrong
        except ValidationError as error:
            problems.add_error(row.number, error)
        return []
    return list(dict.fromkeys(known.care[name] for name in names))


def _dwelling(row: Row, known: _Known, problems: Problems) -> Dwelling | None:
    values = row.values
    code, compound, name = values["grid_code"], values["compound"], values["building"]
    if not code or not name:
        return None
    if code not in known.grid_codes:
        problems.add(row.number, "grid_code", unknown_grid(code))
        return None
    building_id = known.buildings.get((code, compound, name))
    if building_id is None:
        problems.add(row.number, "building", f"网格 {code} 内没有登记楼栋“{compound}{name}”")
        return None
    return building_id, values["unit"], values["room"]


def _write(prepared: list[tuple[Person, Dwelling, list[CareCategory]]], known: _Known) -> list[str]:
    new = {key for _, key, _ in prepared if key not in known.dwellings}
    households = Household.objects.bulk_create([Household(building_id=b, unit=u, room=r) for b, u, r in sorted(new)], batch_size=BATCH)
    dwellings = known.dwellings | {(h.building_id, h.unit, h.room): h.pk for h in households}
    persons = []
    for person, key, _ in prepared:
        person.household_id = dwellings[key]
        persons.append(person)
    Person.objects.bulk_create(persons, batch_size=BATCH)
    Link = Person.care_categories.through
    Link.objects.bulk_create([Link(person=p, carecategory=c) for p, _, care in prepared for c in care], batch_size=BATCH)
    return [f"登记居民 {len(persons)} 人", f"新登记住户 {len(households)} 户"]


def rows_import(*, scope: Scope, rows: list[Row], problems: Problems, actor=None) -> list[str]:
    """Check every row; write them all only when none has a problem."""
    known = _load(scope, rows)
    first_seen: dict[str, int] = {}
    prepared = []
    for row in rows:
        person = _person(row, known, first_seen, problems)
        care = _care(row, known, problems)
        dwelling = _dwelling(row, known, problems)
        if not problems.on(row.number):
            prepared.append((person, dwelling, care))
    if problems:
        return []
    return _write(prepared, known)


def rows_export(scope: Scope, *, unmasked: bool = False) -> Iterator[list]:
    residents = (
        resident_list(scope)
        .select_related("household__building")
        .prefetch_related("care_categories")
        .order_by("household__building__grid_code", "household__building_id", "household_id", "pk")
    )
    for person in residents.iterator(chunk_size=BATCH):
        shown, household = shown_resident(person, unmasked=unmasked), person.household
        building = household.building
        yield [
            *(shown[k] for k in ("name", "id_number", "phone", "ethnicity", "religion", "health", "residence", "party")),
            "是" if shown["retired_cadre"] else "否",
            "、".join(shown["care_categories"]),
            building.grid_code,
            building.compound,
            building.name,
            household.unit,
            household.room,
            shown["sex"],
            shown["age"],
            household.address,
        ]
