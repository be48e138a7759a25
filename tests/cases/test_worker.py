"""`wangge worker` with a simulated clock: each message sent once, failures retried with backoff."""

import os
import signal
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from wangge.cases.models import Case, Category
from wangge.cases.sla import case_deadline_refresh
from wangge.core import outbox
from wangge.core.management.commands.worker import Command
from wangge.core.models import OutboxMessage

TZ = ZoneInfo("Asia/Shanghai")
REPORTED = datetime(2025, 1, 6, 10, 0, tzinfo=TZ)
OVERDUE = datetime(2025, 1, 6, 15, 31, tzinfo=TZ)  # 4 working hours after dispatch, and a minute


@pytest.fixture
def overdue_case(people) -> Case:
    case = Case.objects.create(
        number="T250106002", category=Category.objects.get(code="exposed_garbage"), description="垃圾堆放", lon=113.7, lat=34.7,
        grid_code=people.home_grid.code, status=Case.Status.DISPATCHED, reported_at=REPORTED, status_since=REPORTED,
    )
    return case_deadline_refresh(case=case)


@pytest.fixture
def delivered(monkeypatch) -> list[int]:
    sent: list[int] = []
    monkeypatch.setitem(outbox.SENDERS, "case.alert", lambda message: sent.append(message.pk))
    return sent


def work(now: datetime) -> str:
    out = StringIO()
    call_command("worker", once=True, now=now, stdout=out)
    return out.getvalue()


def test_it_escalates_and_sends_each_message_once(overdue_case, delivered):
    assert work(REPORTED + timedelta(hours=1)) == ""
    assert "升级 1 项，发送 1 条" in work(OVERDUE)
    assert work(OVERDUE) == ""
    [message] = OutboxMessage.objects.filter(kind__startswith="case.")
    assert delivered == [message.pk]
    assert message.sent_at == OVERDUE and message.attempts == 1


def test_it_takes_the_clock_from_the_command_line(overdue_case, delivered):
    out = StringIO()
    call_command("worker", "--once", "--now", "2025-01-06T15:31:00+08:00", stdout=out)
    assert "发送 1 条" in out.getvalue() and len(delivered) == 1


def test_it_retries_a_failing_sender_with_backoff_and_records_the_error(overdue_case, monkeypatch, settings):
    settings.WANGGE_OUTBOX_BACKOFF_SECONDS = 60

    def gateway_down(message):
        OutboxMessage.objects.create(kind="side.effect", due_at=OVERDUE)  # undone with the failure
        raise ConnectionError("短信网关无响应")

    monkeypatch.setitem(outbox.SENDERS, "case.alert", gateway_down)
    assert "失败 1 条" in work(OVERDUE)
    message = OutboxMessage.objects.get(kind="case.alert")
    assert message.sent_at is None and message.attempts == 1
    assert message.last_error == "ConnectionError: 短信网关无响应"
    assert message.due_at == OVERDUE + timedelta(seconds=60)
    assert not OutboxMessage.objects.filter(kind="side.effect").exists()

    assert work(OVERDUE + timedelta(seconds=30)) == ""  # still backing off
    assert "失败 1 条" in work(OVERDUE + timedelta(seconds=60))
    message.refresh_from_db()
    assert message.attempts == 2 and message.due_at == OVERDUE + timedelta(seconds=180)

    sent = []
    monkeypatch.setitem(outbox.SENDERS, "case.alert", lambda m: sent.append(m.pk))
    assert "发送 1 条" in work(OVERDUE + timedelta(seconds=180))
    message.refresh_from_db()
    assert sent == [message.pk] and message.sent_at and message.last_error == "" and message.attempts == 3


def test_it_gives_up_after_the_last_attempt(overdue_case, monkeypatch, settings):
    settings.WANGGE_OUTBOX_MAX_ATTEMPTS = 1
    monkeypatch.setitem(outbox.SENDERS, "case.alert", lambda m: 1 / 0)
    work(OVERDUE)
    assert work(OVERDUE + timedelta(hours=1)) == ""  # before the whistle is due
    assert OutboxMessage.objects.get(kind__startswith="case.").attempts == 1


def test_it_records_a_message_of_unknown_kind_as_failed(db):
    OutboxMessage.objects.create(kind="no.such.kind", due_at=OVERDUE)
    work(OVERDUE)
    assert OutboxMessage.objects.get(kind="no.such.kind").last_error == "LookupError: 未知的消息类型：no.such.kind"


def test_it_stops_cleanly_on_sigterm(db, monkeypatch):
    rounds = []

    def one_round(self, now):
        rounds.append(now)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(Command, "round", one_round)
    before = signal.getsignal(signal.SIGTERM)
    call_command("worker", interval=60, stdout=StringIO())
    assert len(rounds) == 1
    assert signal.getsignal(signal.SIGTERM) == before


def test_it_forgets_idempotency_keys_after_their_days_and_not_before(db, people, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from wangge.core.models import IdempotencyRecord

    record = IdempotencyRecord.objects.create(user=people.grid_worker.user, key="k-1", request_digest="0" * 64, done=True)
    call_command("worker", "--once", "--now", (timezone.now() + timedelta(days=settings.WANGGE_IDEMPOTENCY_DAYS - 1)).isoformat())
    assert IdempotencyRecord.objects.filter(pk=record.pk).exists()
    call_command("worker", "--once", "--now", (timezone.now() + timedelta(days=settings.WANGGE_IDEMPOTENCY_DAYS + 1)).isoformat())
    assert not IdempotencyRecord.objects.filter(pk=record.pk).exists()
