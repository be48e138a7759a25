"""The party organisations workbook: one member a row, an organisation's rows joined by its name.

Members are persons already registered (found by ID number). The rows of one organisation
must agree on its type and grids and name one secretary (group leader); the organisation's
own rules (`party_rule_errors`, applied by `party_organisation_save`) are reported on its
first row.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from wangge.geo.models import Grid
from wangge.geo.scope import Scope

from ..masks import shown_person
from ..models import PartyMembership, PartyOrganisation, Person
from ..selectors.party import party_organisation_list
from ..services.party import party_organisation_save
from .lookups import KnownPersons, labels, row_grids, rows_grids, split_list
from .sheets import Column, Problems, Row

SECRETARY, MEMBER = "secretary", "member"
POSITIONS = {"书记": SECRETARY, "组长": SECRETARY, "党员": MEMBER}
SERVICE_FIELDS = {"name": "organisation", "grids": "grid_codes", "secretary": "position", "members": "name"}

COLUMNS = (
    Column("组织名称", "organisation", required=True, max_length=PartyOrganisation._meta.get_field("name").max_length),
    Column("组织类型", "kind", required=True, choices=labels(PartyOrganisation.Kind), note="党支部至少3名正式党员，不足时成立党小组或联合党支部"),
    Column("网格编码", "grid_codes", required=True, text=True, note="联合党支部填所联合的各网格，用“、”分隔；同一组织各行一致"),
    Column("姓名", "name", required=True),
    Column("身份证号", "id_number", required=True, text=True, note="须为已登记的人员"),
    Column("职务", "position", choices=POSITIONS, note="每个组织一名书记（党小组填组长），须为本网格的网格长或副网格长；不填为党员"),
)
EXPORT_HEADINGS = tuple(c.heading for c in COLUMNS)


@dataclass
class _Organisation:
    first_row: Row
    grids: list[Grid]
    secretary: Person | None = None
    secretary_row: int | None = None
    member_rows: dict[int, int] = field(default_factory=dict)  # person id -> row number
    members: list[Person] = field(default_factory=list)
    clean: bool = True


def _organisation_of(row: Row, organisations: dict[str, _Organisation], grids: dict[str, Grid], problems: Problems) -> _Organisation:
    found = row_grids(row, "grid_codes", grids, problems)
    organisation = organisations.setdefault(row.values["organisation"], _Organisation(row, found))
    first = organisation.first_row
    if row.values["kind"] and first.values["kind"] and row.values["kind"] != first.values["kind"]:
        problems.add(row.number, "kind", f"与第 {first.number} 行的组织类型不一致")
    if set(split_list(row.values["grid_codes"])) != set(split_list(first.values["grid_codes"])):
        problems.add(row.number, "grid_codes", f"与第 {first.number} 行的网格编码不一致")
    return organisation


def _join(row: Row, organisation: _Organisation, person: Person, problems: Problems) -> None:
    if person.pk in organisation.member_rows:
        problems.add(row.number, "id_number", f"与第 {organisation.member_rows[person.pk]} 行重复")
        return
    organisation.member_rows[person.pk] = row.number
    organisation.members.append(person)
    if row.values["position"] == SECRETARY:
        if organisation.secretary_row is not None:
            problems.add(row.number, "position", f"每个组织只能有一名书记（组长），第 {organisation.secretary_row} 行已填")
        else:
            organisation.secretary, organisation.secretary_row = person, row.number


def rows_import(*, scope: Scope, rows: list[Row], problems: Problems, actor=None) -> list[str]:
    grids = rows_grids(scope, rows, "grid_codes")
    known = KnownPersons(scope, rows, "id_number")
    organisations: dict[str, _Organisation] = {}
    for row in rows:
        organisation = _organisation_of(row, organisations, grids, problems)
        person = known.of_row(row, problems)
        if person is not None:
            _join(row, organisation, person, problems)
        organisation.clean = organisation.clean and not problems.on(row.number)
    saved = 0
    for name, organisation in organisations.items():
        if not organisation.clean:
            continue  # its rows are reported; its own rules are checked once they are fixed
        try:
            party_organisation_save(
                scope=scope,
                name=name,
                kind=organisation.first_row.values["kind"],
                grids=organisation.grids,
                secretary=organisation.secretary,
                members=organisation.members,
                actor=actor,
            )
            saved += 1
        except ValidationError as error:
            problems.add_error(organisation.first_row.number, error, SERVICE_FIELDS)
    return [f"新建党组织 {saved} 个，党员 {len(rows)} 名"]


def _position(organisation: PartyOrganisation, person: Person) -> str:
    if person.pk != organisation.secretary_id:
        return "党员"
    return "组长" if organisation.kind == PartyOrganisation.Kind.GROUP else "书记"


def rows_export(scope: Scope, *, unmasked: bool = False) -> Iterator[list]:
    organisations = party_organisation_list(scope).prefetch_related(
        Prefetch("grids", queryset=Grid.objects.order_by("code").only("pk", "code")),
        Prefetch("memberships", queryset=PartyMembership.objects.select_related("person").order_by("pk")),
    ).order_by("name")
    for organisation in organisations:
        codes = "、".join(g.code for g in organisation.grids.all())
        members = sorted((m.person for m in organisation.memberships.all()), key=lambda p: p.pk != organisation.secretary_id)
        for person in members:
            shown = shown_person(person, public_role=True, unmasked=unmasked)
            yield [organisation.name, organisation.get_kind_display(), codes, shown["name"], shown["id_number"], _position(organisation, person)]
