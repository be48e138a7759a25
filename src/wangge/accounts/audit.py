"""The audit trail: who did what, to what, with what result, from where.

`audit_record` is the one way a row is written. Each row carries an HMAC chained over the row
before it, so that `audit_verify` finds the first row that was altered, deleted or slipped in.
Rows hold no passwords, tokens or full ID numbers: values pass through `_clean` on the way in.

The acting user and source address come from the request being served (`AuditContext`
middleware sets them); commands and the worker act as nobody in particular unless they say so.
"""

import contextlib
import contextvars
import json
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import crypto, pii
from .models import AuditRecord

GENESIS = "0" * 64
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
RETENTION_DAYS = 180  # GB/T 22239-2019 8.1.4.3 (level 3): audit records kept at least six months
SECRET_FIELDS = re.compile(r"password|token|digest|secret|mac", re.I)
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str = ""
    address: str | None = None


_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)


def _actor_of(user, address: str | None) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(None, "", address)
    return Actor(user.pk, user.get_username(), address)


def current_actor() -> Actor:
    """The user and address of the request being served (its user may be set late, by token
    authentication inside the API), or whoever a command said it acts as."""
    current = _actor.get()
    if current is None:
        return Actor()
    if isinstance(current, Actor):
        return current
    return _actor_of(getattr(current, "user", None), client_address(current))


def acting_as(user=None, address: str | None = None) -> contextvars.Token:
    """Attribute what follows to `user` from `address`; returns a token for `stop_acting`."""
    return _actor.set(_actor_of(user, address))


def stop_acting(token: contextvars.Token) -> None:
    _actor.reset(token)


def client_address(request) -> str | None:
    """The source address. Behind a reverse proxy set WANGGE_TRUSTED_PROXY_HOPS, and the
    address is read from X-Forwarded-For that many hops from the right; never trusted otherwise."""
    hops = settings.WANGGE_TRUSTED_PROXY_HOPS
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


class AuditContext:
    """Middleware: everything a request does is attributed to its user and address."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(request)
        try:
            response = self.get_response(request)
            if request.method in WRITES and response.status_code >= 400:
                # A refused write changed nothing, so no model recorded it; the attempt is kept.
                result = AuditRecord.Result.DENIED if response.status_code in (401, 403, 404) else AuditRecord.Result.FAILED
                path = request.path[:64]
                audit_record(action="request.refused", object_type="http", object_id=path, result=result, detail=f"{request.method} {path} → {response.status_code}")
            return response
        finally:
            _actor.reset(token)


def _clean(value):
    """Values safe to keep: secrets dropped, ID numbers and phones masked wherever they appear."""
    if isinstance(value, dict):
        return {k: ("***" if SECRET_FIELDS.search(str(k)) else _clean(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return FULL_PHONE.sub(lambda m: pii.mask_phone(m[0]), FULL_ID.sub(lambda m: pii.mask_id(m[0]), value))
    if value is None or isinstance(value, bool | int | float):
        return value
    return _clean(str(value))


def _payload(row: AuditRecord) -> bytes:
    fields = [row.seq, row.at.isoformat(), row.user_id, row.username, row.action, row.object_type, row.object_id]
    fields += [row.result, row.address, row.before, row.after, row.detail]
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _mac(previous: str, row: AuditRecord) -> str:
    return crypto.hmac_sm3(crypto.audit_key(), previous.encode() + b"\n" + _payload(row))


_batch: contextvars.ContextVar = contextvars.ContextVar("audit_batch", default=None)


def audit_record(
    *,
    action: str,
    result: str = AuditRecord.Result.OK,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    before=None,
    after=None,
    detail: str = "",
    user=None,
    address: str | None = None,
) -> AuditRecord:
    """Append one row to the trail. `obj` (a model instance) names the object unless given;
    `user` and `address` default to the request being served. Inside `audit_batch` the row is
    chained when the batch ends (its `seq` and `mac` are set then)."""
    actor = current_actor()
    if user is not None:
        actor = Actor(user.pk, user.get_username(), actor.address)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    row = AuditRecord(
        at=timezone.now(),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        result=result,
        address=address or actor.address,
        before=_clean(before),
        after=_clean(after),
        detail=_clean(detail)[:300],
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(row)
    else:
        _append([row])
    return row


@transaction.atomic(savepoint=False)  # inside a caller's transaction, part of it
def _append(rows: list[AuditRecord]) -> None:
    """Chain `rows` onto the end of the trail. The chain's end is locked from here until the
    transaction commits, so this is done as late and as briefly as possible."""
    _chain_lock()
    seq, previous = AuditRecord.objects.order_by("-seq").values_list("seq", "mac").first() or _anchor()
    for row in rows:
        seq += 1
        row.seq = seq
        row.mac = previous = _mac(previous, row)
    if len(rows) == 1:
        rows[0].save()
    else:
        AuditRecord.objects.bulk_create(rows)


@contextlib.contextmanager
def audit_batch():
    """Hold the rows the enclosed work writes and chain them all at its end, in one step. Use
    it inside the unit of work's transaction, around everything but the commit: the chain lock
    is then held only for that step and the commit, not for the whole of the work. Work that
    fails discards its rows with the rest of its transaction."""
    if _batch.get() is not None:  # already batching: the outer batch chains these rows
        yield
        return
    rows: list[AuditRecord] = []
    token = _batch.set(rows)
    try:
        yield
    finally:
        _batch.reset(token)
    if rows:
        _append(rows)


# Any fixed number: the key of the PostgreSQL advisory lock that guards the chain's end.
CHAIN_LOCK_KEY = 0x5741_4E47


def _chain_lock() -> None:
    """Two writers must never chain onto the same predecessor. Locking the last row is not
    enough on PostgreSQL: a writer that waited for it still reads the old end when it wakes
    (and an empty table has no row to lock). A transaction-scoped advisory lock is taken
    before the end is read, so the read sees every chain row committed before it. On SQLite
    the transaction's write lock (IMMEDIATE) already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _anchor() -> tuple[int, str]:
    """(seq, mac) the chain starts from: the genesis, or the last row a purge removed."""
    purge = AuditRecord.objects.filter(action=PURGED).order_by("-seq").values_list("after", "object_id").first()
    return (purge[0]["last_seq"], purge[1]) if purge else (0, GENESIS)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    first_bad: int | None = None  # seq of the first row that does not fit the chain
    reason: str = ""


def audit_verify() -> Verdict:
    """Walk the chain from its anchor; report the first row that does not follow."""
    expected_seq, previous = _anchor()
    checked = 0
    for row in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000):
        expected_seq += 1
        if row.seq < expected_seq:
            return Verdict(False, checked, row.seq, f"第 {row.seq} 条记录早于审计链起点，为插入的记录")
        if row.seq > expected_seq:
            return Verdict(False, checked, row.seq, f"第 {expected_seq} 至 {row.seq - 1} 条记录被删除")
        if not crypto.hmac_equal(row.mac, _mac(previous, row)):
            return Verdict(False, checked, row.seq, f"第 {row.seq} 条记录被修改，或是插入的记录")
        previous, checked = row.mac, checked + 1
    return Verdict(True, checked)


PURGED = "audit.purged"


class PurgeRefused(Exception):
    pass


@transaction.atomic
def audit_purge(*, before, actor=None) -> int:
    """Remove the oldest rows up to `before`; refused inside the retention period. The chain
    then starts from the last removed row, which the purge record (appended) remembers."""
    cutoff = timezone.now() - timedelta(days=RETENTION_DAYS)
    if before > cutoff:
        raise PurgeRefused(f"{RETENTION_DAYS} 天内的审计记录不能清除（最晚可清除到 {cutoff:%Y-%m-%d}）")
    verdict = audit_verify()
    if not verdict.ok:
        raise PurgeRefused(f"审计链校验未通过，不能清除：{verdict.reason}")
    doomed = AuditRecord.objects.filter(at__lt=before).order_by("seq")
    last = doomed.values_list("seq", "mac").last()
    if last is None:
        return 0
    count = doomed.count()
    AuditRecord.objects.filter(seq__lte=last[0]).delete()
    # The removed chain's last mac is kept as the object id, which is stored as given.
    audit_record(action=PURGED, user=actor, object_type="audit.chain", object_id=last[1], after={"last_seq": last[0], "removed": count}, detail=f"清除 {count} 条")
    return count
