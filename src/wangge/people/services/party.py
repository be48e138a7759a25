"""Grid party organisations and the rules they keep.

`party_rule_errors` is the one statement of the rules; writes refuse what breaks them, and the
report re-applies them to what is stored, since a secretary may since have left the grid's
leadership.

- A party branch or party group serves one level-3 grid; a joint branch joins two or more
  grids of one community. A grid belongs to one organisation at most.
- The secretary (group leader) is a full party member who is the grid leader or a deputy
  grid leader of one of its grids.
- A branch, joint or not, has at least three full party members; with fewer, the grid forms a
  party group or joins a joint branch.
- Members are party members who live or serve in one of its grids; retired party cadres may
  join from anywhere.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from wangge.geo.models import Grid
from wangge.geo.scope import Scope

from ..models import GridPost, PartyMembership, PartyOrganisation, Person
from ..permissions import (
    acting_scope,
    can_manage_organisations,
    require,
    require_covered,
    require_found,
)

Kind = PartyOrganisation.Kind
MIN_BRANCH_FULL_MEMBERS = 3
LEADING_ROLES = (GridPost.Role.LEADER, GridPost.Role.DEPUTY)
REFUSED = "没有权限维护党组织"


@dataclass(frozen=True)
class RuleFacts:
    """What the rules read besides the organisation itself, for a set of grids and persons:
    read once for a whole report (`organisations_rule_errors`), or for one organisation."""

    taken: dict[int, list[tuple[int, str, str]]]  # grid id -> (organisation id, grid code, organisation name)
    posts: dict[int, set[tuple[int, str]]]  # grid id -> (person id, role)
    homes: dict[int, str]  # person id -> grid code of the building they live in

    @classmethod
    def read(cls, grid_ids: Iterable[int], person_ids: Iterable[int]) -> "RuleFacts":
        grid_ids, person_ids = set(grid_ids), set(person_ids)
        taken: dict[int, list[tuple[int, str, str]]] = {}
        through = PartyOrganisation.grids.through.objects.filter(grid_id__in=grid_ids)
        for grid_id, organisation_id, code, name in through.values_list("grid_id", "partyorganisation_id", "grid__code", "partyorganisation__name"):
            taken.setdefault(grid_id, []).append((organisation_id, code, name))
        posts: dict[int, set[tuple[int, str]]] = {}
        for person_id, grid_id, role in GridPost.objects.filter(grid_id__in=grid_ids, person_id__in=person_ids).values_list("person_id", "grid_id", "role"):
            posts.setdefault(grid_id, set()).add((person_id, role))
        homes = dict(Person.objects.filter(pk__in=person_ids, household__isnull=False).values_list("pk", "household__building__grid_code"))
        return cls(taken, posts, homes)


@dataclass(frozen=True)
class RuleGrid:
    """What the rules read of a grid."""

    pk: int
    code: str
    level: int
    layer_active: bool


@dataclass(frozen=True)
class RulePerson:
    """What the rules read of a person (never an encrypted field)."""

    pk: int
    name: str
    party: str
    retired_cadre: bool

    @property
    def is_party_member(self) -> bool:
        return self.party != Person.Party.NONE


def _rule_person(person: Person | None) -> RulePerson | None:
    return None if person is None else RulePerson(person.pk, person.name, person.party, person.retired_cadre)


def party_rule_errors(*, kind: str, grids: Sequence[Grid], secretary: Person | None, members: Sequence[Person], organisation_id: int | None = None) -> dict[str, list[str]]:
    persons = [m.pk for m in members] + ([secretary.pk] if secretary else [])
    facts = RuleFacts.read((g.pk for g in grids), persons)
    return _rule_errors(
        kind=kind, grids=[RuleGrid(g.pk, g.code, g.level, g.layer.is_active) for g in grids], secretary=_rule_person(secretary),
        members=[_rule_person(m) for m in members], organisation_id=organisation_id, facts=facts,
    )


def _rule_errors(*, kind, grids: Sequence[RuleGrid], secretary: RulePerson | None, members: Sequence[RulePerson], organisation_id, facts: RuleFacts) -> dict[str, list[str]]:
    """The rules of this module's docstring, judged on `facts`: no query of its own."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in Kind.values:
        add("kind", f"未知的组织类型：{kind}")
        return errors
    codes = {g.code for g in grids}
    grid_ids = {g.pk for g in grids}
    if kind == Kind.JOINT_BRANCH and len(grids) < 2:
        add("grids", "联合党支部应联合两个以上网格")
    if kind != Kind.JOINT_BRANCH and len(grids) != 1:
        add("grids", f"{Kind(kind).label}应设在一个网格上")
    if any(g.level != 3 or not g.layer_active for g in grids):
        add("grids", "党组织只能设在当前网格图层的三级网格上")
    if len({g.code[:12] for g in grids}) > 1:
        add("grids", "联合党支部的网格应在同一社区")
    for grid in grids:
        for other, code, name in facts.taken.get(grid.pk, []):
            if other != organisation_id:
                add("grids", f"网格 {code} 已有党组织：{name}")

    for field, message in organisation_core_errors(kind=kind, secretary=secretary, members=members):
        add(field, message)
    if secretary is not None and not any((secretary.pk, role) in facts.posts.get(g, ()) for g in grid_ids for role in LEADING_ROLES):
        add("secretary", f"{secretary.name} 不是本网格的网格长或副网格长")
    serving = {person for g in grid_ids for person, _ in facts.posts.get(g, ())}
    for member in members:
        if member.is_party_member and member.pk not in serving and facts.homes.get(member.pk) not in codes and not member.retired_cadre:
            add("members", f"{member.name} 既不居住也不任职于本组织的网格，且不是离退休干部")
    return errors


def organisation_core_errors(*, kind: str, secretary, members: Sequence) -> list[tuple[str, str]]:
    """The rules every party organisation keeps, whatever it stands on (grids here, property
    companies in `wangge.property`): a full member as secretary, party members only, and at
    least three full members in a branch. Persons need `pk`, `name`, `party`, `is_party_member`."""
    errors = []
    if secretary is None:
        errors.append(("secretary", "须指定书记（党小组组长）"))
    elif secretary.party != Person.Party.FULL:
        errors.append(("secretary", f"{secretary.name} 不是中共正式党员，不能担任书记（组长）"))
    errors += [("members", f"{m.name} 不是党员") for m in members if not m.is_party_member]
    full = sum(1 for m in members if m.party == Person.Party.FULL)
    if kind in (Kind.BRANCH, Kind.JOINT_BRANCH) and not may_form_branch(full):
        errors.append(("kind", f"党支部至少需要{MIN_BRANCH_FULL_MEMBERS}名正式党员，现有{full}名；不足时应成立党小组或联合党支部"))
    return errors


def may_form_branch(full_members: int) -> bool:
    """A body with this many full party members may (and, past it, must) form a branch of its own."""
    return full_members >= MIN_BRANCH_FULL_MEMBERS


def organisation_rule_errors(organisation: PartyOrganisation) -> dict[str, list[str]]:
    """The rules re-applied to one stored organisation."""
    return party_rule_errors(
        kind=organisation.kind, grids=list(organisation.grids.select_related("layer")), secretary=organisation.secretary,
        members=list(organisation.members.all()), organisation_id=organisation.pk,
    )


_PERSON = ("pk", "name", "party", "retired_cadre")


def organisations_rule_errors(organisations: QuerySet[PartyOrganisation]) -> dict[int, dict[str, list[str]]]:
    """The rules re-applied to stored organisations (for the report), in a fixed number of
    queries of plain rows however many there are: no model is built, nothing is decrypted."""
    ids = organisations.order_by().values("pk")
    grids: dict[int, list[RuleGrid]] = {}
    through = PartyOrganisation.grids.through.objects.filter(partyorganisation_id__in=ids).order_by("grid__code")
    for organisation_id, *grid in through.values_list("partyorganisation_id", "grid_id", "grid__code", "grid__level", "grid__layer__is_active"):
        grids.setdefault(organisation_id, []).append(RuleGrid(*grid))
    members: dict[int, list[RulePerson]] = {}
    memberships = PartyMembership.objects.filter(organisation_id__in=ids).order_by("person_id")
    for organisation_id, *person in memberships.values_list("organisation_id", *(f"person__{f}" for f in _PERSON)):
        members.setdefault(organisation_id, []).append(RulePerson(*person))
    rows = list(PartyOrganisation.objects.filter(pk__in=ids).values_list("pk", "kind", "secretary_id"))
    secretaries = {p[0]: RulePerson(*p) for p in Person.objects.filter(pk__in=[r[2] for r in rows if r[2]]).values_list(*_PERSON)}
    person_ids = {m.pk for ms in members.values() for m in ms} | set(secretaries)
    facts = RuleFacts.read({g.pk for gs in grids.values() for g in gs}, person_ids)
    return {
        pk: _rule_errors(kind=kind, grids=grids.get(pk, []), secretary=secretaries.get(secretary_id), members=members.get(pk, []), organisation_id=pk, facts=facts)
        for pk, kind, secretary_id in rows
    }


def _with_secretary(members: Sequence[Person], secretary: Person | None) -> list[Person]:
    people = {m.pk: m for m in members}
    if secretary is not None:
        people.setdefault(secretary.pk, secretary)
    return list(people.values())


@transaction.atomic
def party_organisation_save(
    *,
    scope: Scope,
    name: str,
    kind: str,
    grids: Sequence[Grid],
    secretary: Person | None,
    members: Sequence[Person],
    organisation: PartyOrganisation | None = None,
    actor=None,
) -> PartyOrganisation:
    """Create an organisation, or replace an existing one's fields, grids and members."""
    from ..selectors.party import party_organisation_list  # which reads this module's rules
    from ..selectors.persons import people_in_scope

    require(actor, can_manage_organisations, REFUSED)
    scope = acting_scope(actor, scope)
    if not grids:
        raise ValidationError({"grids": "须指定您负责范围内的网格"})
    require_covered(scope, *(g.code for g in grids))
    require_found(party_organisation_list(scope), organisation)
    require_found(people_in_scope(scope), secretary, *members)
    members = _with_secretary(members, secretary)
    errors = party_rule_errors(kind=kind, grids=grids, secretary=secretary, members=members, organisation_id=organisation.pk if organisation else None)
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append("不能为空")
    elif PartyOrganisation.objects.filter(name=name).exclude(pk=organisation.pk if organisation else None).exists():
        errors.setdefault("name", []).append(f"已有同名党组织：{name}")
    if errors:
        raise ValidationError(errors)
    organisation = organisation or PartyOrganisation()
    organisation.name, organisation.kind, organisation.secretary = name, kind, secretary
    organisation.community = grids[0].community
    organisation.save()
    organisation.grids.set(grids)
    organisation.memberships.exclude(person__in=members).delete()
    existing = set(organisation.memberships.values_list("person_id", flat=True))
    PartyMembership.objects.bulk_create([PartyMembership(organisation=organisation, person=m) for m in members if m.pk not in existing])
    return organisation


@transaction.atomic
def party_organisation_delete(*, organisation: PartyOrganisation, actor=None) -> None:
    from ..selectors.party import party_organisation_list

    require(actor, can_manage_organisations, REFUSED)
    require_found(party_organisation_list(acting_scope(actor)), organisation)
    organisation.delete()
