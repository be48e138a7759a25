"""Lockout: five failures in a row lock an account for 30 minutes, an address with too many
failures is refused, a locked sign-in never looks at the password, and every attempt is kept."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.accounts.signing import PASSWORD, give_password
from wangge.accounts import views
from wangge.accounts.models import AuditRecord, LoginAttempt


def _try(username, password="Wrong-Password-1", address="10.1.1.1"):
    return Client(REMOTE_ADDR=address).post("/login", {"username": username, "password": password})


@pytest.fixture
def worker(people):
    give_password(people.grid_worker.user)
    return people.grid_worker.user


def test_five_failures_in_a_row_lock_the_account_for_thirty_minutes(worker):
    for _ in range(4):
        _try(worker.username)
    worker.refresh_from_db()
    assert worker.locked_until is None
    fifth = _try(worker.username)
    worker.refresh_from_db()
    assert worker.locked_until > timezone.now() + timedelta(minutes=29)
    assert "锁定" in fifth.content.decode()
    refused = _try(worker.username, PASSWORD)
    assert refused.status_code == 200 and "已被锁定" in refused.content.decode()


def test_a_locked_sign_in_does_not_check_the_password(worker, monkeypatch):
    worker.locked_until = timezone.now() + timedelta(minutes=10)
    worker.save(update_fields=["locked_until"])

    def must_not_run(*args, **kwargs):
        raise AssertionError("the password was checked")

    monkeypatch.setattr(views, "authenticate", must_not_run)
    assert "已被锁定" in _try(worker.username, PASSWORD).content.decode()


def test_the_lock_runs_out(worker):
    worker.locked_until = timezone.now() - timedelta(seconds=1)
    worker.save(update_fields=["locked_until"])
    assert _try(worker.username, PASSWORD).headers["Location"] == "/my-grid"


def test_failures_count_per_account_and_a_success_starts_again(worker, people):
    for _ in range(3):
        _try(worker.username)
        _try(people.grid_worker.user.username + "x")
    _try(worker.username, PASSWORD)
    for _ in range(4):
        _try(worker.username)
    worker.refresh_from_db()
    assert worker.locked_until is None


def test_the_lockout_is_configurable(worker, settings):
    settings.WANGGE_LOCKOUT_FAILURES, settings.WANGGE_LOCKOUT_MINUTES = 2, 5
    _try(worker.username)
    _try(worker.username)
    worker.refresh_from_db()
    assert timezone.now() + timedelta(minutes=4) < worker.locked_until < timezone.now() + timedelta(minutes=6)


def test_an_address_with_many_failures_is_refused(worker, settings):
    settings.WANGGE_ADDRESS_FAILURES = 20
    for n in range(20):
        _try(f"nobody{n}", address="10.9.9.9")
    refused = _try(worker.username, PASSWORD, address="10.9.9.9")
    assert "该地址登录失败次数过多" in refused.content.decode()
    assert _try(worker.username, PASSWORD, address="10.9.9.10").headers["Location"] == "/my-grid"


def test_every_attempt_is_stored_and_audited_without_the_password(worker):
    _try(worker.username, "Secret-Typo-99")
    _try(worker.username, PASSWORD)
    attempts = LoginAttempt.objects.filter(username=worker.username).order_by("pk")
    assert [a.succeeded for a in attempts] == [False, True]
    assert {a.address for a in attempts} == {"10.1.1.1"}
    rows = AuditRecord.objects.filter(action="auth.login").order_by("seq")
    assert [r.result for r in rows.filter(object_id=str(worker.pk))] == ["failed", "ok"]
    text = str(list(rows.values()))
    assert "Secret-Typo-99" not in text and PASSWORD not in text
