"""The worker's round: the jobs each app registers, in one stable order; one failing job is
logged and the others still run."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from wangge.core import checkpoints, jobs
from wangge.core.models import IdempotencyRecord, OutboxMessage
from wangge.portal.models import VerifyRun


@pytest.fixture
def stale(people, settings):
    """Something for three apps' jobs to do: a key past its days, a message due, no verify run."""
    now = timezone.now()
    OutboxMessage.objects.all().delete()  # the demo's own notifications (objections) are not counted here
    IdempotencyRecord.objects.create(user=people.grid_worker.user, key="k-1", request_digest="0" * 64, done=True)
    OutboxMessage.objects.create(kind="no.such.kind", due_at=now)
    return now + timedelta(days=settings.WANGGE_IDEMPOTENCY_DAYS + 1)


def round_at(now) -> str:
    out = StringIO()
    call_command("worker", once=True, now=now, stdout=out)
    return out.getvalue()


def test_it_runs_the_jobs_of_cases_portal_property_projects_and_the_floor_in_their_order():
    assert [job.name for job in jobs.jobs()] == [
        "cases.escalation", "core.outbox", "core.idempotency_purge",
        "portal.verify", "portal.visits_purge", "property.link_cases", "projects.rounds_close", "core.audit_checkpoint",
    ]


def test_it_runs_a_job_of_each_app_in_one_round(stale):
    assert "升级 0 项，发送 0 条，失败 1 条" in round_at(stale)
    assert not IdempotencyRecord.objects.exists()  # the floor
    assert VerifyRun.objects.filter(started_at=stale).exists()  # portal
    assert checkpoints.checkpoint_latest().at == stale.isoformat(timespec="seconds")  # the floor


def test_it_logs_a_failing_job_and_runs_the_others(stale, monkeypatch, caplog):
    monkeypatch.setattr(jobs, "_JOBS", dict(jobs._JOBS))  # the test's job goes with the test

    @jobs.job("test.broken", order=0, summary=lambda result: "坏了")
    def broken(now):
        raise OSError("磁盘已满")

    with caplog.at_level(logging.ERROR, logger="wangge.worker"):
        line = round_at(stale)
    assert "升级 0 项，发送 0 条，失败 1 条" in line and "坏了" not in line
    assert "后台任务 test.broken 执行失败" in caplog.text and "磁盘已满" in caplog.text
    assert not IdempotencyRecord.objects.exists()
    assert VerifyRun.objects.filter(started_at=stale).exists()
    assert checkpoints.checkpoint_latest().at == stale.isoformat(timespec="seconds")
