"""The outbox: messages written in the same transaction as the change that causes them, and
sent later by `wangge worker` (as healthchecks' sendalerts does), so no broker is needed.

Senders are registered by kind (`sender`). Notifications to people register `core.notify.deliver`
(the inbox, then email and the group robot as messages of their own); an SMS gateway is one more
registered function. A failure is retried after a doubling back-off; `/ops/outbox` shows the
system administrator what is still unsent and sends one again (`outbox_retry_now`).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from .audit import audit_record
from .models import OutboxMessage

logger = logging.getLogger("wangge.outbox")

Sender = Callable[[OutboxMessage], None]
SENDERS: dict[str, Sender] = {}
# Payload keys a kind carries only to be sent (a one-time password): dropped from the row once sent,
# so the table keeps no secret that has reached its receiver.
FORGOTTEN_ONCE_SENT: dict[str, tuple[str, ...]] = {}


def sender(kind: str, *, forget_once_sent: tuple[str, ...] = ()) -> Callable[[Sender], Sender]:
    def register(func: Sender) -> Sender:
        SENDERS[kind] = func
        FORGOTTEN_ONCE_SENT[kind] = forget_once_sent
        return func

    return register


def outbox_enqueue(*, kind: str, payload: dict, due_at: datetime) -> OutboxMessage:
    message = OutboxMessage(kind=kind, payload=payload, due_at=due_at)
    message.full_clean()
    message.save()
    return message


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.WANGGE_OUTBOX_BACKOFF_SECONDS * 2 ** (attempts - 1), 3600))


def _due(now: datetime):
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, due_at__lte=now, attempts__lt=settings.WANGGE_OUTBOX_MAX_ATTEMPTS)
    if connection.features.has_select_for_update_skip_locked:
        # Several workers may run: each claims rows the others have not locked.
        pending = pending.select_for_update(skip_locked=True)
    return pending.order_by("due_at", "pk")


def outbox_send_one(*, now: datetime) -> OutboxMessage | None:
    """Send the next due message, if any; a failure is recorded and retried after a backoff."""
    with transaction.atomic():
        message = _due(now).first()
        if message is None:
            return None
        return _send(message, now=now)


def _send(message: OutboxMessage, *, now: datetime) -> OutboxMessage:
    message.attempts += 1
    try:
        with transaction.atomic():  # whatever a failing sender wrote is undone
            send = SENDERS.get(message.kind)
            if send is None:
                raise LookupError(f"未知的消息类型：{message.kind}")
            send(message)
    except Exception as exc:
        logger.warning("outbox message %s failed: %s", message.pk, exc)
        message.last_error = f"{type(exc).__name__}: {exc}"[:300]
        message.due_at = now + backoff(message.attempts)
    else:
        message.sent_at = now
        message.last_error = ""
        forgotten = FORGOTTEN_ONCE_SENT.get(message.kind, ())
        message.payload = {key: value for key, value in message.payload.items() if key not in forgotten}
    message.save(update_fields=["attempts", "last_error", "due_at", "sent_at", "payload"])
    return message


def outbox_unsent():
    """Messages not (yet) sent, the soonest due first: waiting, retrying, or given up."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).order_by("due_at", "pk")


def outbox_given_up(message: OutboxMessage) -> bool:
    return message.sent_at is None and message.attempts >= settings.WANGGE_OUTBOX_MAX_ATTEMPTS


def outbox_retry_now(*, message_id: int, actor, now: datetime) -> OutboxMessage:
    """An operator sends an unsent message now, even one the worker gave up on (it gets one
    more try), and the trail records who did. Raises OutboxMessage.DoesNotExist for a message
    already sent or unknown."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id, sent_at__isnull=True)
        audit_record(action="core.outbox.retry", obj=message, user=actor, detail=message.kind,
                     before={"attempts": message.attempts, "due_at": message.due_at.isoformat()})
        message.attempts = min(message.attempts, settings.WANGGE_OUTBOX_MAX_ATTEMPTS - 1)
        return _send(message, now=now)


def outbox_drain(*, now: datetime, stopping: Callable[[], bool] = lambda: False) -> tuple[int, int]:
    """Send every due message; returns (sent, failed). Stops between messages when asked."""
    sent = failed = 0
    tried: set[int] = set()
    while not stopping():
        message = outbox_send_one(now=now)
        if message is None or message.pk in tried:
            break
        tried.add(message.pk)
        if message.sent_at:
            sent += 1
        else:
            failed += 1
    return sent, failed
