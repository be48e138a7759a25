"""Seeing one person's details in full: with a stated reason, and always in the audit trail.

The caller has found the person through a selector (so out of scope is already 404) and
checked `permissions.can_unmask`. The audit row names the person, the fields and the reason,
never the values (PIPL art. 51; GB/T 22239-2019 8.1.4.3).
"""

from django.db import transaction

from wangge.accounts.exports import reason_required
from wangge.core.audit import audit_record

from ..masks import unmasked_person, unmasked_resident
from ..models import GridPost, Person


@transaction.atomic
def resident_unmask(*, person: Person, reason: str) -> dict:
    reason = reason_required(reason)
    shown = unmasked_resident(person)
    audit_record(action="pii.unmasked", obj=person, after={"fields": sorted(shown), "as": "resident"}, detail=f"事由：{reason}")
    return shown


@transaction.atomic
def staff_unmask(*, post: GridPost, reason: str) -> dict:
    reason = reason_required(reason)
    shown = unmasked_person(post.person)
    audit_record(action="pii.unmasked", obj=post.person, after={"fields": sorted(shown), "as": "staff", "post": post.pk}, detail=f"事由：{reason}")
    return shown
