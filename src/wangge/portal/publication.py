"""What the portal publishes for the apps through the floor's port (`core/publication.py`).

The app's own workflow has reviewed what it discloses (a rating round passes review before its
publicity), so the disclosure is written and published in one step, as the official who made
that decision: its history says so, and its content is sealed like any other.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.core.publication import Publication
from wangge.core.workflow import workflow_move

from . import workflow
from .disclosures import kind_of
from .models import Disclosure, Objection
from .render import digest_of
from .sanitize import clean_html, text_of


@transaction.atomic
def publish_for_app(publication: Publication, *, actor) -> str:
    if kind_of(publication.kind) is None:
        raise ValidationError({"kind": f"未知的公开类型：{publication.kind}"})
    body = clean_html(publication.body)
    disclosure = Disclosure(
        kind=publication.kind, subject_type=publication.subject_type, subject_id=publication.subject_id, area_code=publication.area_code,
        title=publication.title, body=body, body_text=text_of(body), shown_from=publication.shown_from, shown_until=publication.shown_until,
        created_by=actor,
    )
    disclosure.full_clean()
    disclosure.save()
    reason = "经业务流程审核后发布"

    def submitted(item, move, now):
        item.submitted_by, item.submitted_at = actor, now
        return ["submitted_by", "submitted_at"]

    def approved(item, move, now):
        item.reviewed_by, item.reviewed_at, item.published_at = actor, now, now
        item.digest = digest_of(item)
        return ["reviewed_by", "reviewed_at", "published_at", "digest"]

    def anyone(move, item) -> None:  # decided in the app's workflow, by an actor it allowed
        return None

    workflow_move(workflow.DISCLOSURE, disclosure, actor=actor, name=workflow.SUBMIT, may=anyone, change=submitted, reason=reason)
    workflow_move(workflow.DISCLOSURE, disclosure, actor=actor, name=workflow.APPROVE, may=anyone, change=approved, reason=reason)
    return str(disclosure.pk)


def unanswered_objections(disclosure_id: str) -> int:
    """The port's count of a disclosure's objections still waiting for an answer."""
    if not str(disclosure_id).isdigit():
        return 0
    return Objection.objects.filter(disclosure_id=int(disclosure_id), state=Objection.State.PENDING).count()
