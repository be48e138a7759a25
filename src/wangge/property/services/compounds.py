"""Compounds and courtyards: where they lie, how they are managed, their owners' committees."""

import json
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.geo.geometry.validation import outline_problem
from wangge.geo.models import Division
from wangge.geo.scope import Scope, scope_of
from wangge.people.models import Building, Person
from wangge.people.permissions import require, require_found
from wangge.people.selectors.buildings import building_list
from wangge.people.selectors.persons import people_in_scope

from ..models import Compound, CompoundBuilding, OwnersCommittee, OwnersCommitteeMember
from ..permissions import can_keep_property
from ..selectors.records import backstop_of, compounds_visible, divisions_kept
from .companies import backstop_assign

REFUSED = "只有区、街道、社区干部可以维护小区（楼院）"


def boundary_checked(boundary) -> str:
    """A boundary as stored (GeoJSON text), checked as a grid's outline is; "" for none."""
    if boundary in (None, "", {}):
        return ""
    if isinstance(boundary, str):
        try:
            boundary = json.loads(boundary)
        except ValueError:
            raise ValidationError({"boundary": "边界不是有效的 GeoJSON"}) from None
    if isinstance(boundary, dict) and boundary.get("type") == "Feature":
        boundary = boundary.get("geometry")
    if problem := outline_problem(boundary):
        raise ValidationError({"boundary": f"边界有误：{problem}"})
    return json.dumps(boundary, ensure_ascii=False, separators=(",", ":"))


def _check_fields(*, name: str, kind: str, mode: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["名称不能为空"]
    elif len(name) > Compound._meta.get_field("name").max_length:
        errors["name"] = [f"名称不能超过 {Compound._meta.get_field('name').max_length} 个字符"]
    if kind not in Compound.Kind.values:
        errors["kind"] = [f"类型应为{'、'.join(Compound.Kind.labels)}之一"]
    if mode not in Compound.Mode.values:
        errors["mode"] = [f"管理模式应为{'、'.join(Compound.Mode.labels)}之一"]
    return errors


def _check_buildings(community: Division, buildings: Sequence[Building], compound: Compound | None) -> dict[str, list[str]]:
    errors = []
    for building in buildings:
        if building.community_id != community.pk:
            errors.append(f"楼栋「{building.address}」不在{community.name}")
    taken = CompoundBuilding.objects.filter(building__in=buildings).exclude(compound=compound).select_related("building", "compound")
    errors += [f"楼栋「{h.building.address}」已属于「{h.compound.name}」" for h in taken]
    return {"buildings": errors} if errors else {}


@transaction.atomic
def compound_save(
    *, actor, name: str, kind: str, mode: str, community: Division, boundary=None, buildings: Sequence[Building] = (),
    compound: Compound | None = None,
) -> Compound:
    """Create a compound, or replace an existing one's fields and buildings. An ownerless one
    goes to its subdistrict's backstop company at once, when the subdistrict names one."""
    require(actor, can_keep_property, REFUSED)
    require_found(divisions_kept(actor, Division.Kind.COMMUNITY), community)
    require_found(compounds_visible(actor), compound)
    require_found(building_list(_scope_of(actor)), *buildings)
    name = (name or "").strip()
    errors = _check_fields(name=name, kind=kind, mode=mode) | _check_buildings(community, buildings, compound)
    text = ""
    try:
        text = boundary_checked(boundary)
    except ValidationError as refused:
        errors |= refused.message_dict
    if not errors and Compound.objects.filter(community=community, name=name).exclude(pk=compound.pk if compound else None).exists():
        errors["name"] = [f"{community.name}已有名为「{name}」的小区（楼院）"]
    if not text and not buildings and not errors:
        errors["boundary"] = ["请给出边界，或列出小区包含的楼栋"]
    if errors:
        raise ValidationError(errors)
    compound = compound or Compound()
    compound.name, compound.kind, compound.mode, compound.community, compound.boundary = name, kind, mode, community, text
    compound.full_clean(validate_constraints=False)
    compound.save()
    compound.holdings.exclude(building__in=buildings).delete()
    held = set(compound.holdings.values_list("building_id", flat=True))
    CompoundBuilding.objects.bulk_create([CompoundBuilding(compound=compound, building=b) for b in buildings if b.pk not in held])
    if compound.mode == Compound.Mode.OWNERLESS and (backstop := backstop_of(community.parent_id)):
        backstop_assign(backstop=backstop, compounds=[compound])
    return compound


def _scope_of(actor) -> Scope:
    return Scope.district() if actor is None else scope_of(actor)


@transaction.atomic
def owners_committee_save(*, actor, compound: Compound, members: Sequence[tuple[Person, str]], elected_on=None, term_ends_on=None) -> OwnersCommittee:
    """Set a compound's owners' committee: its members with their posts (one director)."""
    require(actor, can_keep_property, REFUSED)
    require_found(compounds_visible(actor), compound)
    require_found(people_in_scope(_scope_of(actor)), *(person for person, _ in members))
    errors = [f"{person.name} 的职务「{post}」无效" for person, post in members if post not in OwnersCommitteeMember.Post.values]
    if sum(1 for _, post in members if post == OwnersCommitteeMember.Post.DIRECTOR) > 1:
        errors.append("业委会只能有一名主任")
    if len({person.pk for person, _ in members}) != len(members):
        errors.append("同一人不能重复列入业委会")
    if errors:
        raise ValidationError({"members": errors})
    committee, _ = OwnersCommittee.objects.update_or_create(compound=compound, defaults={"elected_on": elected_on, "term_ends_on": term_ends_on})
    committee.memberships.all().delete()
    OwnersCommitteeMember.objects.bulk_create([OwnersCommitteeMember(committee=committee, person=p, post=post) for p, post in members])
    return committee
