"""The outbox: messages written in the same transaction as the change that causes them, and
sent later by `wangge worker` (as healthchecks' sendalerts does), so no broker is needed.

Senders are registered by kind. For now every sender delivers in-platform by logging; an SMS
or 政务微信 gateway is one more registered function.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from .models import OutboxMessage

logger = logging.getLogger("wangge.outbox")

Sender = Callable[[OutboxMessage], None]
SENDERS: dict[str, Sender] = {}


def sender(kind: str) -> Callable[[Sender], Sender]:
    def register(func: Sender) -> Sender:
        SENDERS[kind] = func
        return func

    return register


def log_only(message: OutboxMessage) -> None:
    """A sender that delivers in-platform by writing the message to the log."""
    logger.info("%s %s", message.kind, message.payload)


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
        message.save(update_fields=["attempts", "last_error", "due_at", "sent_at"])
        return message


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
