"""The Idempotency-Key protocol: a retried request gets the first answer, never a second effect.

A request first claims its (user, key) by inserting a record in a transaction of its own, so
that the unique index decides who processes: on PostgreSQL a concurrent claim waits for the
first one to commit and then finds the key taken; on SQLite writers queue (IMMEDIATE
transactions). The work and the stored answer are then committed together, so a record that is
not done means the work did not happen (or is happening now). A claim left behind by a process that died mid-request is
taken over once it is older than WANGGE_IDEMPOTENCY_STALE_SECONDS. A claim belongs to whoever
set its time last: a request merely slower than that, whose claim was taken over, finds on
finishing that the claim is no longer its own and rolls its work back, so that the work is done
once even for a report without a client_id.

Claiming and storing the answer are one written-out statement each (`wangge.core.rows`): every
report passes here.

Only completed answers are stored: a refused request (bad input, no permission) changed nothing
and leaves no record, so the client may correct it and send it again under the same key.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from wangge.core import rows
from wangge.core.audit import audit_batch
from wangge.core.errors import ApiError

from .models import IdempotencyRecord

MAX_KEY_LENGTH = 128


def request_digest(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _claim(user, key: str, digest: str) -> IdempotencyRecord | None:
    """The new record, or None when (user, key) has one: an insert that skips the conflict, so
    the claim is one statement (on PostgreSQL it waits for a concurrent claim's commit).

    Its commit does not wait for the disk: a claim lost in a crash is harmless (the retry claims
    again, and nothing was done under it, since the work commits after it), and the work's own
    commit, which does wait, writes the claim to disk with it. A report then waits for the disk
    once, not twice."""
    record = IdempotencyRecord(user=user, key=key, request_digest=digest)
    return record if rows.insert([record], skip_conflicts=True, durable=False) else None


def _take_over_if_stale(record: IdempotencyRecord) -> bool:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.WANGGE_IDEMPOTENCY_STALE_SECONDS)
    if IdempotencyRecord.objects.filter(pk=record.pk, done=False, created_at__lt=stale).update(created_at=now) != 1:
        return False
    record.created_at = now  # the claim's new owner mark
    return True


class _ClaimLost(Exception):
    """The claim was taken over as stale while this request was still working."""


def _still_mine(record: IdempotencyRecord):
    return IdempotencyRecord.objects.filter(pk=record.pk, done=False, created_at=record.created_at)


_FINISH = (
    f"UPDATE {IdempotencyRecord._meta.db_table} SET done = %s, response_status = %s, response_body = %s "  # noqa: S608 - constants
    "WHERE id = %s AND NOT done AND created_at = %s"
)


def _finish(record: IdempotencyRecord, status: int, body: dict) -> None:
    """Store the answer, if the claim is still ours (`_still_mine`, written out: every report
    ends here). On PostgreSQL this waits for a concurrent owner's commit and then checks again."""
    answer = IdempotencyRecord._meta.get_field("response_body").get_db_prep_save(body, connection)
    with rows.cursor() as cursor:
        cursor.execute(_FINISH, [True, status, answer, record.pk, connection.ops.adapt_datetimefield_value(record.created_at)])
        if cursor.rowcount != 1:
            raise _ClaimLost


def _in_progress() -> ApiError:
    return ApiError(409, "Idempotency-Key：相同的请求正在处理，请稍后重试", [{"field": "Idempotency-Key", "reason": "首次请求尚未完成"}])


def _existing(user, key: str, digest: str) -> tuple[int, dict] | IdempotencyRecord:
    record = IdempotencyRecord.objects.get(user=user, key=key)
    if record.request_digest != digest:
        raise ApiError(422, "Idempotency-Key：该幂等键已用于内容不同的请求", [{"field": "Idempotency-Key", "reason": "请求内容与首次不同"}])
    if record.done:
        return record.response_status, record.response_body
    if _take_over_if_stale(record):
        return record
    raise _in_progress()


def idempotent(*, user, key: str, payload: dict, handle: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    """Run `handle` once per (user, key); returns (status, body), replayed on a retry."""
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ApiError(400, f"Idempotency-Key：幂等键应为 1 至 {MAX_KEY_LENGTH} 个字符", [{"field": "Idempotency-Key", "reason": "长度无效"}])
    digest = request_digest(payload)
    record = _claim(user, key, digest)
    if record is None:
        found = _existing(user, key, digest)
        if not isinstance(found, IdempotencyRecord):
            return found
        record = found
    try:
        with transaction.atomic():
            with audit_batch():  # the work's audit rows are chained at its end, in one short step
                status, body = handle()
            _finish(record, status, body)
    except _ClaimLost:
        # Our work was rolled back; the answer is the new owner's.
        done = IdempotencyRecord.objects.filter(pk=record.pk, done=True).first()
        if done is None:
            raise _in_progress() from None
        return done.response_status, done.response_body
    except BaseException:
        _still_mine(record).delete()
        raise
    return status, body


def idempotency_purge(*, now=None) -> int:
    """Forget records older than WANGGE_IDEMPOTENCY_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WANGGE_IDEMPOTENCY_DAYS)
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]
