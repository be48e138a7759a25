"""The accounts' share of each worker round, last: the audit chains' ends sealed outside the
database, after every other job has written its audit rows."""

from wangge.core.jobs import job

from .audit import audit_checkpoint_if_due


@job("accounts.audit_checkpoint", order=90)
def audit_checkpoint(now) -> None:
    audit_checkpoint_if_due(now=now)
