"""Notifications that reach people. The app that owns an event names its recipients and calls
`notify_enqueue` in the transaction of the event; the worker's outbox then delivers it:

1. the sender of its kind (`deliver`, registered by the owning app through `notice_kinds`)
   writes a notice into each recipient's inbox (`core/notices.py`), and, in the same step,
   queues one `notify.email` message per recipient with an address (WANGGE_NOTIFY_EMAIL) and one
   `notify.webhook` message for the group robot (WANGGE_NOTIFY_WEBHOOK_URL) when the message is
   meant for the staff's group;
2. each of those is sent on its own, so a robot that fails is retried with the outbox's back-off
   without writing the inbox or the emails twice.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from .models import OutboxMessage
from .notices import notices_create, safe_link
from .outbox import outbox_enqueue, sender

EMAIL, WEBHOOK = "notify.email", "notify.webhook"
LABELS: dict[str, str] = {EMAIL: "邮件", WEBHOOK: "群机器人"}


def notice_kinds(labels: dict[str, str]) -> None:
    """Called from an app's `ready()`: these kinds are notifications, delivered by `deliver`;
    the labels name them on the inbox and the outbox page."""
    for kind, label in labels.items():
        LABELS[kind] = label
        sender(kind)(deliver)


def notify_enqueue(
    *, kind: str, recipients: Iterable[int], title: str, body: str = "", link: str = "", group: bool = True,
    due_at: datetime | None = None, **extra,
) -> OutboxMessage:
    """Queue a notification of `kind` (registered with `notice_kinds`) for the users `recipients`
    (ids). `group=False` keeps it off the staff's group robot (a resident's own case). `extra`
    stays in the payload for the owning app's own bookkeeping."""
    payload = {**extra, "recipients": sorted(set(recipients)), "title": title, "text": body, "link": safe_link(link), "group": group}
    return outbox_enqueue(kind=kind, payload=payload, due_at=due_at or timezone.now())


def deliver(message: OutboxMessage) -> None:
    payload = message.payload
    title, body, link = payload["title"], payload.get("text", ""), payload.get("link", "")
    notices = notices_create(recipient_ids=payload["recipients"], kind=message.kind, title=title, body=body, link=link)
    now = message.due_at  # due in the same round as the message that caused them
    if settings.WANGGE_NOTIFY_EMAIL:
        with_address = get_user_model().objects.filter(pk__in=[n.recipient_id for n in notices]).exclude(email="").order_by("pk")
        for user_id in with_address.values_list("pk", flat=True):
            outbox_enqueue(kind=EMAIL, payload={"user": user_id, "title": title, "text": body, "link": link}, due_at=now)
    if settings.WANGGE_NOTIFY_WEBHOOK_URL and payload.get("group", True):
        outbox_enqueue(kind=WEBHOOK, payload={"content": _text(title, body, link=link)}, due_at=now)


def _text(*lines: str, link: str = "") -> str:
    return "\n".join(line for line in (*lines, f"{settings.WANGGE_SITE_URL}{link}" if link else "") if line)


@sender(EMAIL)
def email_send(message: OutboxMessage) -> None:
    """The address is read now, so one corrected meanwhile is used; one removed is not written to."""
    payload = message.payload
    user = get_user_model().objects.filter(pk=payload["user"], is_active=True).exclude(email="").first()
    if user is None:
        return
    body = _text(payload.get("text", ""), link=payload.get("link", "")) or payload["title"]
    send_mail(f"【网格化基层治理平台】{payload['title']}", body, None, [user.email])


@sender(WEBHOOK)
def webhook_send(message: OutboxMessage) -> None:
    """POST the text message WeCom and DingTalk group robots both accept. Both answer 200 with
    a non-zero `errcode` when they refuse, which counts as a failure too."""
    body = json.dumps({"msgtype": "text", "text": {"content": message.payload["content"]}}, ensure_ascii=False).encode()
    request = urllib.request.Request(
        webhook_url(), data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=settings.WANGGE_NOTIFY_WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310 - the URL is the operator's
        answer = response.read(10_000)
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        errcode = 0  # a robot that answers 2xx without JSON took the message
    if errcode:
        raise RuntimeError(f"群机器人拒收：errcode {errcode}")


def webhook_url(now_ms: int | None = None) -> str:
    """The configured URL, with DingTalk's signature (timestamp and HMAC-SHA256 of
    "timestamp\\nsecret" under the secret, base64, URL-encoded) when a secret is set."""
    url, secret = settings.WANGGE_NOTIFY_WEBHOOK_URL, settings.WANGGE_NOTIFY_WEBHOOK_SECRET
    if not secret:
        return url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"
