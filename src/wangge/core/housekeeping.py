"""The shared floor's own share of each worker round: the outbox drained right after the cases'
escalation has written its alerts, Idempotency-Key claims past WANGGE_IDEMPOTENCY_DAYS forgotten,
and, last, the audit chains' ends sealed outside the database after every other job has written
its audit rows."""

from .audit import audit_checkpoint_if_due
from .idempotency import idempotency_purge
from .jobs import job
from .outbox import outbox_drain


@job("core.outbox", order=20, summary=lambda result: "发送 {} 条，失败 {} 条".format(*result), stoppable=True)
def outbox(now, *, stopping) -> tuple[int, int]:
    return outbox_drain(now=now, stopping=stopping)


@job("core.idempotency_purge", order=30)
def forget_idempotency_keys(now) -> int:
    return idempotency_purge(now=now)


@job("core.audit_checkpoint", order=90)
def audit_checkpoint(now) -> None:
    audit_checkpoint_if_due(now=now)
