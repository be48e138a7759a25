"""Who hears of what happens on the portal: an objection to a disclosure goes to the officials
who may answer it (`permissions.may_answer`: those whose scope covers the disclosure's area).
Queued through the shared outbox in the objection's own transaction (`wangge.core.notify`)."""

from wangge.accounts.models import User
from wangge.accounts.models.users import OFFICIALS
from wangge.core.notify import notice_kinds, notify_enqueue

from .models import Objection
from .permissions import may_answer

KINDS = {"portal.objection": "公示异议"}


def register() -> None:
    notice_kinds(KINDS)


def objection_notify(objection: Objection) -> None:
    disclosure = objection.disclosure
    officials = User.objects.filter(role__in=OFFICIALS, is_active=True, is_superuser=False).order_by("pk")
    recipients = [user.pk for user in officials if may_answer(user, disclosure)]
    # Neither the objector's name nor the text: the group robot's channel is not the place for them.
    notify_enqueue(
        kind="portal.objection", recipients=recipients, title=f"公示收到异议 {objection.number}",
        body=f"公示《{disclosure.title}》收到异议，请及时答复", link="/portal/objections", objection=objection.pk,
    )
