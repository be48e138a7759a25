"""Posts in a community's two committees (社区"两委"), kept by the officials of the community."""

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.geo.models import Division

from ..models import CommitteePost, Person
from ..permissions import acting_scope, can_manage_organisations, require, require_covered

REFUSED = "没有权限维护社区两委职务"


@transaction.atomic
def committee_post_save(*, community: Division, person: Person, committee: str, post: str, part_time: bool, actor=None) -> CommitteePost:
    """Give a person a post in a community committee of the caller's (or change it)."""
    require(actor, can_manage_organisations, REFUSED)
    require_covered(acting_scope(actor), community.code)
    errors = {}
    if committee not in CommitteePost.Committee.values:
        errors["committee"] = [f"组织应为{'、'.join(CommitteePost.Committee.labels)}之一"]
    if post not in CommitteePost.Post.values:
        errors["post"] = [f"职务应为{'、'.join(CommitteePost.Post.labels)}之一"]
    if community.kind != Division.Kind.COMMUNITY:
        errors["community"] = ["两委职务只能设在社区"]
    if errors:
        raise ValidationError(errors)
    saved, _ = CommitteePost.objects.update_or_create(community=community, person=person, committee=committee, defaults={"post": post, "part_time": part_time})
    return saved
