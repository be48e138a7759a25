"""The audit trail: who did what, to what, with what result, from where.

`audit_record` is the one way a row is written. Each row carries an HMAC chained over the row
before it, so that `audit_verify` finds the first row that was altered, deleted or slipped in.
Rows hold no passwords, tokens, full ID numbers or phones: values pass through `_clean` on the way in.

The acting user and source address come from the request being served (`AuditContext`
middleware sets them); commands and the worker act as nobody in particular unless they say so.
"""

import contextlib
import contextvars
import json
import logging
import os
import re
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from wangge.core.rows import cursor as sql_cursor
from wangge.core.rows import insert as sql_insert

from . import checkpoints, crypto, pii
from .checkpoints import Checkpoint, CheckpointInvalid
from .models import AuditRecord

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
RETENTION_DAYS = 180  # GB/T 22239-2019 8.1.4.3 (level 3): audit records kept at least six months
SECRET_FIELDS = re.compile(r"password|token|digest|secret|mac", re.I)


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
    """Values safe to keep: secrets dropped, ID numbers, phones, plates and names masked
    wherever they appear (`pii.mask_free_text`, the masking the public feed uses too)."""
    if isinstance(value, dict):
        return {k: ("***" if SECRET_FIELDS.search(str(k)) else _clean(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return pii.mask_free_text(value)
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
def _append(rows: list[AuditRecord], anchors: dict | None = None) -> None:
    """Chain `rows` onto the end of one of the chains. That chain's end is locked from here
    until the transaction commits; writers at the same moment take different chains, so none
    waits for another's commit (`_chain_end`). `anchors`: where empty chains start, when the
    caller knows better than the last purge record (the purge itself)."""
    chain, (seq, previous) = _chain_end(anchors)
    for row in rows:
        seq += 1
        row.chain, row.seq = chain, seq
        row.mac = previous = _mac(previous, row)
    sql_insert(rows)


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


# The trail is CHAINS chains, each an unbroken sequence of its own: a writer locks one that no
# other transaction holds, so audited writes (a report is one) do not queue behind one another's
# commits. Any fixed number: the first key of the PostgreSQL advisory locks on the chains' ends,
# whose second key is the chain.
CHAINS = 16
CHAIN_LOCK_KEY = 0x5741_4E47
_END = f"SELECT seq, mac FROM {AuditRecord._meta.db_table} WHERE chain = %d ORDER BY seq DESC LIMIT 1"
_FREE = f"SELECT c FROM generate_series(0, {CHAINS - 1}) AS c WHERE pg_try_advisory_xact_lock({CHAIN_LOCK_KEY}, c) LIMIT 1"
_held = threading.local()  # the chain this thread got last: it holds it still if its transaction is still open


def _chain_end(anchors: dict | None = None) -> tuple[int, tuple[int, str]]:
    """Lock a chain's end and read it: (chain, (seq, mac) of its last row or its anchor).

    Two writers must never chain onto the same predecessor. Locking the last row is not
    enough on PostgreSQL: a writer that waited for it still reads the old end when it wakes
    (and an empty chain has no row to lock). A transaction-scoped advisory lock on the chain
    is taken first, and the end is read by a later statement, whose snapshot is taken after
    the lock is held and so sees every row of that chain committed before it.

    A thread tries the chain it had last (held still, if this transaction appended before:
    the lock is re-entrant), in the same round trip as reading that chain's end; if another
    transaction holds it, the first free chain; only when all are held does it wait, for its
    own, while holding no chain itself (so two writers never wait for each other). On SQLite
    the transaction's write lock (IMMEDIATE) already serialises writers: one chain, 0."""
    if connection.vendor != "postgresql":
        return 0, _end_of(0, anchors)
    chain = getattr(_held, "chain", os.getpid() % CHAINS)
    with sql_cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_xact_lock({CHAIN_LOCK_KEY}, {chain}); {_END % chain}")  # noqa: S608 - numbers
        if cursor.fetchone()[0]:
            cursor.nextset()
            return chain, _found(cursor.fetchone(), chain, anchors)
        cursor.execute(_FREE)  # noqa: S608 - numbers
        free = cursor.fetchone()
        if free is None:
            cursor.execute(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY}, {chain})")
        else:
            chain = free[0]
    _held.chain = chain
    return chain, _end_of(chain, anchors)


def _end_of(chain: int, anchors: dict | None) -> tuple[int, str]:
    with sql_cursor() as cursor:
        cursor.execute(_END % chain)  # noqa: S608 - numbers
        return _found(cursor.fetchone(), chain, anchors)


def _found(row, chain: int, anchors: dict | None) -> tuple[int, str]:
    return (row[0], row[1]) if row else (_anchors() if anchors is None else anchors).get(chain, (0, GENESIS))


PURGED = "audit.purged"


def _anchors() -> dict[int, tuple[int, str]]:
    """chain -> (seq, mac) it starts from after the last purge (the last row removed); a
    chain that was never purged starts from the genesis. The newest purge record carries
    every chain's anchor (`audit_purge`); one from before the trail had chains, only chain 0's."""
    purge = AuditRecord.objects.filter(action=PURGED).order_by("-at", "-id").values_list("after", "object_id").first()
    return _anchors_of(*purge) if purge else {}


def _anchors_of(after, mac: str) -> dict[int, tuple[int, str]]:
    if isinstance(after, str):  # read as stored, without the model's field
        after = json.loads(after)
    if "anchors" not in after:
        return {0: (after["last_seq"], mac)}
    return {int(chain): (seq, mac) for chain, (seq, mac) in after["anchors"].items()}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    first_bad: int | None = None  # seq of the first row that does not fit its chain
    reason: str = ""
    chain: int | None = None  # the chain of that row


def audit_verify() -> Verdict:
    """Walk each chain from its anchor and report the first row that does not follow; then
    hold the trail against the current checkpoints, which find rows deleted from its end."""
    verdict = _verify_chains()
    return (_verify_checkpoints(verdict.checked) or verdict) if verdict.ok else verdict


def _verify_chains() -> Verdict:
    anchors = _anchors()
    chains = sorted(set(AuditRecord.objects.values_list("chain", flat=True).distinct()) | set(anchors))
    checked = 0
    for chain in chains:
        expected_seq, previous = anchors.get(chain, (0, GENESIS))
        for row in AuditRecord.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000):
            expected_seq += 1
            where = f"第 {chain} 链" if chain else ""
            if row.seq < expected_seq:
                return Verdict(False, checked, row.seq, f"{where}第 {row.seq} 条记录早于审计链起点，为插入的记录", chain)
            if row.seq > expected_seq:
                return Verdict(False, checked, row.seq, f"{where}第 {expected_seq} 至 {row.seq - 1} 条记录被删除", chain)
            if not crypto.hmac_equal(row.mac, _mac(previous, row)):
                return Verdict(False, checked, row.seq, f"{where}第 {row.seq} 条记录被修改，或是插入的记录", chain)
            previous, checked = row.mac, checked + 1
    return Verdict(True, checked)


# Checkpoints (`checkpoints`): the head of every chain, sealed outside the database.

_END_ROWS = (
    f"SELECT a.chain, a.seq, a.mac FROM {AuditRecord._meta.db_table} a JOIN (SELECT chain, MAX(seq) AS seq"
    f" FROM {AuditRecord._meta.db_table} GROUP BY chain) e ON a.chain = e.chain AND a.seq = e.seq"
)
_LAST_PURGE = f"SELECT after, object_id FROM {AuditRecord._meta.db_table} WHERE action = '{PURGED}' ORDER BY at DESC, id DESC LIMIT 1"


def chain_ends(cursor) -> dict[int, tuple[int, str]]:
    """chain -> (seq, mac) of its last row, or of its anchor when a purge removed all its rows.
    Read through `cursor`, a DB-API cursor: Django's, or sqlite3's on a backup's copy."""
    cursor.execute(_END_ROWS)  # noqa: S608 - no input
    ends = {chain: (seq, mac) for chain, seq, mac in cursor.fetchall()}
    cursor.execute(_LAST_PURGE)  # noqa: S608 - no input
    purge = cursor.fetchone()
    return (_anchors_of(*purge) if purge else {}) | ends


def _verify_checkpoints(checked: int) -> Verdict | None:
    try:
        current = [checkpoints.checkpoint_read(path) for path in checkpoints.checkpoint_files()]
    except CheckpointInvalid as invalid:
        return Verdict(False, checked, None, str(invalid))
    with connection.cursor() as cursor:
        ends = chain_ends(cursor)
    for checkpoint in reversed(current):  # the newest names the widest missing range
        behind = _behind(checkpoint, ends)
        if behind is not None:
            return replace(behind, checked=checked)
    return None


def _behind(checkpoint: Checkpoint, ends: dict[int, tuple[int, str]]) -> Verdict | None:
    """The first chain that ends before `checkpoint`, or whose row there is not the one sealed."""
    sealed = f"{checkpoint.at} 的封存点 {checkpoint.name}"
    for chain, (seq, mac) in sorted(checkpoint.chains.items()):
        end, end_mac = ends.get(chain, (0, GENESIS))
        if end < seq:
            return Verdict(False, 0, end + 1, f"第 {chain} 链第 {end + 1} 至 {seq} 条记录被删除：审计链止于第 {end} 条，而{sealed}记到第 {seq} 条", chain)
        found = end_mac if end == seq else AuditRecord.objects.filter(chain=chain, seq=seq).values_list("mac", flat=True).first()
        if found is None and seq <= _anchors().get(chain, (0, GENESIS))[0]:
            continue  # purged since, past the retention period
        if found is None or not crypto.hmac_equal(found, mac):
            return Verdict(False, 0, seq, f"第 {chain} 链第 {seq} 条记录与{sealed}不符：封存后的记录被删除或替换", chain)
    return None


class CheckpointRefused(Exception):
    pass


def audit_checkpoint(*, now: datetime | None = None) -> Path:
    """Seal where every chain ends now into a new checkpoint file; returns its path.

    Refused, and the refusal recorded, while the trail ends before the latest checkpoint (or
    that one does not open): sealing the shorter trail would make the deletion look whole once
    the older checkpoints have aged out of the history."""
    with connection.cursor() as cursor:
        ends = chain_ends(cursor)
    try:
        latest = checkpoints.checkpoint_latest()
        behind = _behind(latest, ends) if latest is not None else None
    except CheckpointInvalid as invalid:
        behind = Verdict(False, 0, reason=str(invalid))
    if behind is not None:
        logger.error("审计封存点未写入：%s", behind.reason)
        audit_record(action="audit.checkpoint", object_type="audit.chain", result=AuditRecord.Result.FAILED, detail=f"未写入封存点：{behind.reason}")
        raise CheckpointRefused(behind.reason)
    return checkpoints.checkpoint_store(checkpoints.checkpoint_seal(at=now or timezone.now(), chains=ends))


_refused_at: datetime | None = None  # the worker's last refused attempt: retried an interval later


def audit_checkpoint_if_due(*, now: datetime) -> Path | None:
    """The worker's step: a checkpoint every WANGGE_AUDIT_CHECKPOINT_MINUTES. A refusal (in the
    trail and the log) is retried an interval later, and does not stop the worker."""
    global _refused_at
    interval = timedelta(minutes=settings.WANGGE_AUDIT_CHECKPOINT_MINUTES)
    last = max(filter(None, (checkpoints.checkpoint_last_at(), _refused_at)), default=None)
    if last is not None and now - last < interval:
        return None
    try:
        return audit_checkpoint(now=now)
    except CheckpointRefused:
        _refused_at = now
        return None


class PurgeRefused(Exception):
    pass


@transaction.atomic
def audit_purge(*, before, actor=None) -> int:
    """Remove the oldest rows up to `before`; refused inside the retention period. Each chain
    then starts from its last removed row, which the purge record (appended) remembers, with
    the anchors of the chains this purge left alone, so that the newest purge has them all."""
    cutoff = timezone.now() - timedelta(days=RETENTION_DAYS)
    if before > cutoff:
        raise PurgeRefused(f"{RETENTION_DAYS} 天内的审计记录不能清除（最晚可清除到 {cutoff:%Y-%m-%d}）")
    verdict = audit_verify()
    if not verdict.ok:
        raise PurgeRefused(f"审计链校验未通过，不能清除：{verdict.reason}")
    anchors, removed = _anchors(), 0
    ends = AuditRecord.objects.filter(at__lt=before).values("chain").annotate(last=Max("seq"))
    for end in ends:
        chain, last = end["chain"], end["last"]
        anchors[chain] = (last, AuditRecord.objects.get(chain=chain, seq=last).mac)
        removed += AuditRecord.objects.filter(chain=chain, seq__lte=last).delete()[0]
    if not removed:
        return 0
    # Written as it is, not through audit_record: the anchors' macs must not pass `_clean`,
    # which could take a run of their digits for an ID or a phone number and mask it.
    actor = _actor_of(actor, current_actor().address) if actor is not None else current_actor()
    after = {"removed": removed, "anchors": {str(chain): [seq, mac] for chain, (seq, mac) in sorted(anchors.items())}}
    _append([AuditRecord(
        at=timezone.now(), user_id=actor.user_id, username=actor.username, action=PURGED, object_type="audit.chain",
        result=AuditRecord.Result.OK, address=actor.address, after=after, detail=f"清除 {removed} 条",
    )], anchors)
    return removed
