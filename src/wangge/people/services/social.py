"""Writes to community social organisations, their members and activities."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.geo.models import Division, Grid
from wangge.geo.scope import Scope

from ..models import Person, SocialActivity, SocialMembership, SocialOrganisation
from ..permissions import (
    acting_scope,
    can_manage_organisations,
    require,
    require_covered,
    require_found,
)
from ..selectors.persons import people_in_scope
from ..selectors.social import social_organisation_list

REFUSED = "没有权限维护社会组织"


@transaction.atomic
def social_organisation_create(
    *, scope: Scope, name: str, bond: str, status: str, community: Division, grids: Sequence[Grid] = (), actor=None
) -> SocialOrganisation:
    require(actor, can_manage_organisations, REFUSED)
    scope = acting_scope(actor, scope)
    require_covered(scope, community.code, *(g.code for g in grids))
    outside = [g.code for g in grids if g.community_id != community.pk or g.level != 3 or not g.layer.is_active]
    errors: dict[str, list[str]] = {}
    if outside:
        errors["grids"] = [f"服务网格应为本社区当前图层的三级网格：{'、'.join(outside)}"]
    organisation = SocialOrganisation(name=(name or "").strip(), bond=bond, status=status, community=community)
    try:
        organisation.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    organisation.save()
    organisation.grids.set(grids)
    return organisation


@transaction.atomic
def social_member_add(*, organisation: SocialOrganisation, person: Person, role: str = SocialMembership.Role.MEMBER, actor=None) -> SocialMembership:
    require(actor, can_manage_organisations, REFUSED)
    scope = acting_scope(actor)
    require_found(social_organisation_list(scope), organisation)
    require_found(people_in_scope(scope), person)
    if role not in SocialMembership.Role.values:
        raise ValidationError({"role": f"未知的角色：{role}"})
    membership, _ = SocialMembership.objects.update_or_create(organisation=organisation, person=person, defaults={"role": role})
    return membership


@transaction.atomic
def social_activity_add(*, organisation: SocialOrganisation, held_on: date, title: str, participants: int = 0, actor=None) -> SocialActivity:
    require(actor, can_manage_organisations, REFUSED)
    require_found(social_organisation_list(acting_scope(actor)), organisation)
    activity = SocialActivity(organisation=organisation, held_on=held_on, title=(title or "").strip(), participants=participants)
    activity.full_clean()
    if held_on > date.today():
        raise ValidationError({"held_on": "活动日期不能晚于今天"})
    activity.save()
    return activity
