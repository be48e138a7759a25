"""Objections to disclosures (异议): raised by anyone while a disclosure that allows them is
shown, answered by an official of its area; the answer is shown on the disclosure's page."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.core.contacts import clean_contact
from wangge.core.receipts import save_numbered

from .disclosures import kind_of
from .models import Disclosure, Objection, Stage
from .notify import objection_notify
from .permissions import may_answer
from .publishing import publication_reseal

MAX_TEXT = 1000


def accepts_objections(disclosure: Disclosure, now=None) -> bool:
    kind = kind_of(disclosure.kind)
    now = now or timezone.now()
    return (
        kind is not None and kind.objections and disclosure.stage == Stage.PUBLISHED
        and disclosure.shown_from <= now < disclosure.shown_until
    )


@transaction.atomic
def objection_submit(*, disclosure: Disclosure, text: str, name: str = "", phone: str = "", user=None) -> Objection:
    if not accepts_objections(disclosure):
        raise ValidationError({"text": "该公示不在异议受理期内"})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写异议内容"})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"异议内容不能超过 {MAX_TEXT} 字"})
    name, phone = clean_contact(name, phone, required=False)
    objection = Objection(disclosure=disclosure, text=text, name=name, phone=phone,
                          submitted_by=user if user is not None and user.is_authenticated else None)
    objection = save_numbered(objection, prefix="YY")
    objection_notify(objection)
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, actor, answer: str) -> Objection:
    if not may_answer(actor, objection.disclosure):
        raise PermissionDenied("没有权限答复该异议")
    if objection.state == Objection.State.ANSWERED:
        raise ValidationError({"answer": "该异议已答复"})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容"})
    objection.answer, objection.answered_by, objection.answered_at = answer, actor, timezone.now()
    objection.state = Objection.State.ANSWERED
    objection.save()
    if objection.disclosure.stage == Stage.PUBLISHED:
        publication_reseal(item=objection.disclosure)  # the page now shows the answer
    return objection
