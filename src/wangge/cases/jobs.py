"""The cases' share of each worker round: escalation first, so that its alerts go out with
the outbox drained right after; then keys past WANGGE_IDEMPOTENCY_DAYS are forgotten."""

from wangge.core.jobs import job

from .escalation import escalate
from .idempotency import idempotency_purge
from .outbox import outbox_drain


@job("cases.escalation", order=10, summary=lambda steps: f"升级 {steps} 项")
def escalation(now) -> int:
    return len(escalate(now=now))


@job("cases.outbox", order=20, summary=lambda result: "发送 {} 条，失败 {} 条".format(*result), stoppable=True)
def outbox(now, *, stopping) -> tuple[int, int]:
    return outbox_drain(now=now, stopping=stopping)


@job("cases.idempotency_purge", order=30)
def forget_idempotency_keys(now) -> int:
    return idempotency_purge(now=now)
