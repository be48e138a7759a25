"""Seeing one person's details in full: with a stated reason, and always in the audit trail.

The caller must be allowed to unmask (`permissions.can_unmask`) and the person (the post) must
lie in their scope, or the answer is 403 (404) before the reason is even read. The audit row
names the person, the fields and the reason, never the values (PIPL art. 51; GB/T
22239-2019 8.1.4.3).
"""

from django.db import transaction

from wangge.accounts.exports import reason_required
from wangge.core.audit import audit_record

from ..masks import unmasked_person, unmasked_resident
from ..models import GridPost, Person
from ..permissions import acting_scope, can_unmask, require, require_found
from ..selectors.persons import resident_list
from ..selectors.staff import post_list

REFUSED = "没有权限查看完整个人信息"


@transaction.atomic
def resident_unmask(*, person: Person, reason: str, actor=None) -> dict:
    require(actor, can_unmask, REFUSED)
    require_found(resident_list(acting_scope(actor)), person)
    reason = reason_required(reason)
    shown = unmasked_resident(person)
    audit_record(action="pii.unmasked", obj=person, after={"fields": sorted(shown), "as": "resident"}, detail=f"事由：{reason}", user=actor)
    return shown


@transaction.atomic
def staff_unmask(*, post: GridPost, reason: str, actor=None) -> dict:
    require(actor, can_unmask, REFUSED)
    require_found(post_list(acting_scope(actor)), post)
    reason = reason_required(reason)
    shown = unmasked_person(post.person)
    audit_record(action="pii.unmasked", obj=post.person, after={"fields": sorted(shown), "as": "staff", "post": post.pk}, detail=f"事由：{reason}", user=actor)
    return shown
