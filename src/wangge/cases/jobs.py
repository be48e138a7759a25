"""The cases' share of each worker round: escalation first (order 10), so that its alerts go
out with the outbox the shared floor drains right after."""

from wangge.core.jobs import job

from .escalation import escalate


@job("cases.escalation", order=10, summary=lambda steps: f"升级 {steps} 项")
def escalation(now) -> int:
    return len(escalate(now=now))
