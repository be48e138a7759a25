"""Writes to grid posts under the rule 一格一干 多专多群 (one cadre, several specialists,
several groups). The database refuses a second cadre on a grid and a person who is cadre of
two grids; these services say so in Chinese before it has to."""

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.geo.models import Grid
from wangge.geo.scope import Scope

from ..models import Duty, GridPost, Person
from ..permissions import (
    acting_scope,
    can_manage_organisations,
    require,
    require_covered,
    require_found,
)
from ..selectors.persons import people_in_scope
from ..selectors.staff import post_list
from .persons import person_find_or_create

SINGLE_ROLES = {GridPost.Role.FULL_TIME: "专职网格员", GridPost.Role.LEADER: "网格长"}
REFUSED = "没有权限维护网格力量"


def _check(scope: Scope, grid: Grid, person: Person, role: str, duty: Duty | None) -> None:
    if role not in GridPost.Role.values:
        raise ValidationError({"role": f"未知的岗位：{role}"})
    needs_duty = role in (GridPost.Role.SPECIALIST, GridPost.Role.GROUP)
    if needs_duty and (duty is None or duty.kind != role):
        raise ValidationError({"duty": f"{GridPost.Role(role).label}须注明具体职责"})
    if not needs_duty and duty is not None:
        raise ValidationError({"duty": f"{GridPost.Role(role).label}不设具体职责"})
    if grid.level != 3 or not grid.layer.is_active:
        raise ValidationError({"grid": "岗位只能设在当前网格图层的三级网格上"})
    if role in SINGLE_ROLES:
        holder = GridPost.objects.filter(grid=grid, role=role).exclude(person=person).select_related("person").first()
        if holder is not None:
            raise ValidationError({"role": f"网格 {grid.code} 已有{SINGLE_ROLES[role]}：{holder.person.name}"})
    if role == GridPost.Role.FULL_TIME:
        elsewhere = GridPost.objects.filter(person=person, role=role).exclude(grid=grid).select_related("grid").first()
        if elsewhere is not None:
            # A post outside the caller's scope is not named, only that there is one.
            where = f"网格 {elsewhere.grid.code} " if scope.covers(elsewhere.grid.code) else "其他网格"
            raise ValidationError({"person": f"{person.name} 已是{where}的专职网格员，一人只能专职一个网格"})
    if GridPost.objects.filter(grid=grid, person=person, role=role, duty=duty).exists():
        raise ValidationError({"person": f"{person.name} 已在网格 {grid.code} 担任此岗位"})


@transaction.atomic
def post_add(*, scope: Scope, grid: Grid, person: Person, role: str, duty: Duty | None = None, actor=None) -> GridPost:
    require(actor, can_manage_organisations, REFUSED)
    scope = acting_scope(actor, scope)
    require_covered(scope, grid.code)
    require_found(people_in_scope(scope), person)
    _check(scope, grid, person, role, duty)
    return GridPost.objects.create(grid=grid, person=person, role=role, duty=duty)


@transaction.atomic
def post_remove(*, post: GridPost, actor=None) -> None:
    require(actor, can_manage_organisations, REFUSED)
    require_found(post_list(acting_scope(actor)), post)
    post.delete()


def duty_named(label: str) -> Duty:
    duty = Duty.objects.filter(name=label.strip()).first() or Duty.objects.filter(code=label.strip()).first()
    if duty is None:
        raise ValidationError({"duty": f"未知的职责：{label}"})
    return duty


@transaction.atomic
def staff_member_add(*, scope: Scope, grid: Grid, role: str, duty: Duty | None, id_number: str, actor=None, **person_fields) -> GridPost:
    """Post a person, known by ID number or registered now, on a grid; nothing is kept if refused."""
    require(actor, can_manage_organisations, REFUSED)
    person = person_find_or_create(scope=scope, id_number=id_number, actor=actor, **person_fields)
    return post_add(scope=scope, grid=grid, person=person, role=role, duty=duty, actor=actor)
