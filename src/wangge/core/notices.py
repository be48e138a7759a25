"""The in-app inbox: notices written for their recipients (by the outbox's senders,
`core/notify.py`), read and marked read by those recipients alone.

Every read and write here takes the user and narrows to that user's own notices first, so a
notice of someone else is as missing as one that never was (the page answers 404).
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Notice


def safe_link(link: str) -> str:
    """A path on the platform itself: a notice never sends its reader to another host. Django's
    own test (no host allowed) rather than ours: it knows how browsers read a tab or a
    backslash among the first slashes as the start of another host."""
    link = (link or "").strip()
    if link and not (link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None, require_https=False)):
        raise ValidationError({"link": "消息链接只能是本平台的路径"})
    return link


def notices_create(*, recipient_ids: Iterable[int], kind: str, title: str, body: str = "", link: str = "", at: datetime | None = None) -> list[Notice]:
    """One notice per active recipient (an account disabled meanwhile gets none)."""
    link = safe_link(link)
    users = get_user_model().objects.filter(pk__in=set(recipient_ids), is_active=True).order_by("pk").values_list("pk", flat=True)
    at = at or timezone.now()
    notices = [Notice(recipient_id=pk, kind=kind, title=title[:120], body=body[:1000], link=link, created=at) for pk in users]
    for notice in notices:
        notice.full_clean(exclude=["recipient"])
    return Notice.objects.bulk_create(notices)


def notices_of(user) -> QuerySet[Notice]:
    """The user's own notices, newest first."""
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user).order_by("-created", "-pk")


def notices_unread_count(user) -> int:
    return notices_of(user).filter(read_at__isnull=True).count()


def notice_mark_read(*, user, notice_id: int) -> Notice:
    """Mark one of the user's notices read (once: the first time stays); another's is a 404."""
    notice = get_object_or_404(notices_of(user), pk=notice_id)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_mark_all_read(*, user) -> int:
    return notices_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())
