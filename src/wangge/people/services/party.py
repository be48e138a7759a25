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

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

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


def party_rule_errors(*, kind: str, grids: Sequence[Grid], secretary: Person | None, members: Sequence[Person], organisation_id: int | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in Kind.values:
        add("kind", f"未知的组织类型：{kind}")
        return errors
    codes = sorted(g.code for g in grids)
    if kind == Kind.JOINT_BRANCH and len(grids) < 2:
        add("grids", "联合党支部应联合两个以上网格")
    if kind != Kind.JOINT_BRANCH and len(grids) != 1:
        add("grids", f"{Kind(kind).label}应设在一个网格上")
    if any(g.level != 3 or not g.layer.is_active for g in grids):
        add("grids", "党组织只能设在当前网格图层的三级网格上")
    if len({g.code[:12] for g in grids}) > 1:
        add("grids", "联合党支部的网格应在同一社区")
    attached = PartyOrganisation.grids.through.objects.filter(grid_id__in=[g.pk for g in grids]).exclude(partyorganisation_id=organisation_id)
    for code, name in attached.values_list("grid__code", "partyorganisation__name"):
        add("grids", f"网格 {code} 已有党组织：{name}")

    if secretary is None:
        add("secretary", "须指定书记（党小组组长）")
    else:
        if secretary.party != Person.Party.FULL:
            add("secretary", f"{secretary.name} 不是中共正式党员，不能担任书记（组长）")
        if not GridPost.objects.filter(person=secretary, grid__in=grids, role__in=LEADING_ROLES).exists():
            add("secretary", f"{secretary.name} 不是本网格的网格长或副网格长")

    grid_ids = [g.pk for g in grids]
    serving = set(GridPost.objects.filter(grid_id__in=grid_ids, person__in=members).values_list("person_id", flat=True))
    living = set(Person.objects.filter(pk__in=[m.pk for m in members], household__building__grid_code__in=codes).values_list("pk", flat=True))
    for member in members:
        if not member.is_party_member:
            add("members", f"{member.name} 不是党员")
        elif member.pk not in serving | living and not member.retired_cadre:
            add("members", f"{member.name} 既不居住也不任职于本组织的网格，且不是离退休干部")
    full = sum(1 for m in members if m.party == Person.Party.FULL)
    if kind in (Kind.BRANCH, Kind.JOINT_BRANCH) and full < MIN_BRANCH_FULL_MEMBERS:
        add("kind", f"党支部至少需要{MIN_BRANCH_FULL_MEMBERS}名正式党员，现有{full}名；不足时应成立党小组或联合党支部")
    return errors


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


def organisation_rule_errors(organisation: PartyOrganisation) -> dict[str, list[str]]:
    """The rules re-applied to a stored organisation (for the report)."""
    return party_rule_errors(
        kind=organisation.kind,
        grids=list(organisation.grids.select_related("layer")),
        secretary=organisation.secretary,
        members=list(organisation.members.all()),
        organisation_id=organisation.pk,
    )
