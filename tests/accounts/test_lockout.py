"""Lockout: five failures in a row from one address lock an account for 30 minutes from that
address, many more from anywhere lock it everywhere but for a second factor, an address with too
many failures is refused, a lock answers like a wrong password and never looks at the password,
and every attempt is kept."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.accounts.signing import PASSWORD, enrolled, give_password, sign_in
from wangge.accounts import views
from wangge.accounts.models import AddressLock, LoginAttempt
from wangge.core.models import AuditRecord


def _try(username, password="Wrong-Password-1", address="10.1.1.1"):
    return Client(REMOTE_ADDR=address).post("/login", {"username": username, "password": password})


@pytest.fixture
def worker(people):
    give_password(people.grid_worker.user)
    return people.grid_worker.user


def _locked(user, address="10.1.1.1"):
    return AddressLock.objects.filter(user=user, address=address, locked_until__gt=timezone.now()).exists()


def test_five_failures_in_a_row_lock_the_account_for_that_address_only(worker):
    for _ in range(4):
        _try(worker.username)
    assert not _locked(worker)
    _try(worker.username)
    lock = AddressLock.objects.get(user=worker)
    assert (lock.address, lock.locked_until > timezone.now() + timedelta(minutes=29)) == ("10.1.1.1", True)
    refused = _try(worker.username, PASSWORD)
    assert refused.status_code == 200 and "锁定 30 分钟" in refused.content.decode()
    assert _try(worker.username, PASSWORD, address="10.1.1.2").headers["Location"] == "/my-grid"
    worker.refresh_from_db()
    assert worker.locked_until is None


def test_a_locked_sign_in_does_not_check_the_password(worker, monkeypatch):
    AddressLock.objects.create(user=worker, address="10.1.1.1", locked_until=timezone.now() + timedelta(minutes=10))

    def must_not_run(*args, **kwargs):
        raise AssertionError("the password was checked")

    monkeypatch.setattr(views, "authenticate", must_not_run)
    assert "用户名或密码不正确" in _try(worker.username, PASSWORD).content.decode()
    worker.address_locks.all().delete()
    worker.locked_until = timezone.now() + timedelta(minutes=10)
    worker.save(update_fields=["locked_until"])
    assert "用户名或密码不正确" in _try(worker.username, PASSWORD, address="10.1.1.2").content.decode()


def test_the_lock_runs_out(worker):
    AddressLock.objects.create(user=worker, address="10.1.1.1", locked_until=timezone.now() - timedelta(seconds=1))
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
    assert not _locked(worker)


def test_the_lockout_is_configurable(worker, settings):
    settings.WANGGE_LOCKOUT_FAILURES, settings.WANGGE_LOCKOUT_MINUTES = 2, 5
    _try(worker.username)
    _try(worker.username)
    until = AddressLock.objects.get(user=worker).locked_until
    assert timezone.now() + timedelta(minutes=4) < until < timezone.now() + timedelta(minutes=6)


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


def _as_a_stranger_sees_it(response, username):
    """The answer without what differs in every answer anyway: the CSRF token and the name typed."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, page.replace(f'value="{username}"', 'value=""')


def test_it_answers_for_a_locked_account_as_for_an_unknown_name(worker):
    for _ in range(4):
        _try(worker.username)
    unknown = _try("no-such-person")
    locking = _try(worker.username)
    locked = _try(worker.username, PASSWORD)
    assert _locked(worker)
    stranger = _as_a_stranger_sees_it(unknown, "no-such-person")
    assert _as_a_stranger_sees_it(locking, worker.username) == stranger == _as_a_stranger_sees_it(locked, worker.username)
    assert "连续多次输入错误后，账号将被锁定 30 分钟；如需帮助请联系系统管理员" in locked.content.decode()


def test_it_locks_everywhere_only_after_many_failures_from_anywhere(worker, settings):
    settings.WANGGE_LOCKOUT_FAILURES, settings.WANGGE_ACCOUNT_LOCKOUT_FAILURES = 3, 6
    for address in ["10.2.0.1"] * 3 + ["10.2.0.2"] * 2:
        _try(worker.username, address=address)
    worker.refresh_from_db()
    assert worker.locked_until is None and _locked(worker, "10.2.0.1") and not _locked(worker, "10.2.0.2")
    _try(worker.username, address="10.2.0.2")
    worker.refresh_from_db()
    assert worker.locked_until > timezone.now() + timedelta(minutes=29)
    assert "用户名或密码不正确" in _try(worker.username, PASSWORD, address="10.2.0.3").content.decode()


def test_it_lets_a_second_factor_in_from_another_address_while_locked(people, settings):
    settings.WANGGE_LOCKOUT_FAILURES, settings.WANGGE_ACCOUNT_LOCKOUT_FAILURES = 3, 6
    official = people.district_official.user
    password = give_password(official)
    enrolled(official)
    for address in ["10.3.0.1"] * 3 + ["10.3.0.2"] * 3:
        _try(official.username, address=address)
    official.refresh_from_db()
    assert official.locked_until > timezone.now()
    attacker = sign_in(official, password, Client(REMOTE_ADDR="10.3.0.1"))
    assert "用户名或密码不正确" in attacker.response.content.decode() and "_auth_user_id" not in attacker.session
    owner = sign_in(official, password, Client(REMOTE_ADDR="10.3.0.9"))
    assert owner.response.headers["Location"] == "/login/code"
    assert owner.session["_auth_user_id"] == str(official.pk)


def test_it_clears_every_lock_on_enable_and_counts_afresh(api, others, worker):
    for _ in range(5):
        _try(worker.username)
    worker.locked_until = timezone.now() + timedelta(minutes=10)
    worker.save(update_fields=["locked_until"])
    assert api.post(f"/api/accounts/{worker.pk}/enable", token=others.system_admin.token).status_code == 200
    worker.refresh_from_db()
    assert worker.locked_until is None and not AddressLock.objects.filter(user=worker).exists()
    _try(worker.username)  # the first failure since the unlock, not the sixth in a row
    assert _try(worker.username, PASSWORD).headers["Location"] == "/my-grid"
