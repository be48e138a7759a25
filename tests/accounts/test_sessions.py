"""Sessions end after 30 idle minutes or 12 hours in all; a disabled or deleted account's
sessions and tokens stop working at once."""

import time

import pytest

from tests.accounts.signing import sign_in
from wangge.accounts.auth import token_issue
from wangge.accounts.middleware import SEEN, SINCE
from wangge.accounts.models import Role, User
from wangge.accounts.services import account_disable
from wangge.geo.scope import Scope


def _age(client, **seconds_ago) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"since": SINCE, "seen": SEEN}[key]] = now - ago
    session.save()


def test_an_idle_session_ends_after_thirty_minutes(people):
    client = sign_in(people.grid_worker.user)
    _age(client, seen=29 * 60)
    assert client.get("/my-grid").status_code == 200
    _age(client, seen=31 * 60)
    assert client.get("/my-grid").headers["Location"].startswith("/login")
    assert client.get("/api/grids").status_code == 401


def test_a_session_ends_after_twelve_hours_however_busy(people):
    client = sign_in(people.grid_worker.user)
    _age(client, since=11 * 3600, seen=0)
    assert client.get("/my-grid").status_code == 200
    _age(client, since=12 * 3600 + 60, seen=0)
    assert client.get("/my-grid").headers["Location"].startswith("/login")


def test_the_timeouts_are_settings(people, settings):
    settings.WANGGE_SESSION_IDLE_MINUTES = 5
    client = sign_in(people.grid_worker.user)
    _age(client, seen=6 * 60)
    assert client.get("/my-grid").status_code == 302


@pytest.fixture
def sysadmin(db):
    from wangge.people.identity import check_char
    from wangge.people.services.persons import person_find_or_create

    user = User.objects.create(username="sysadmin", role=Role.SYSTEM_ADMIN)
    first17 = "41010419800101123"
    person = person_find_or_create(scope=Scope.district(), id_number=first17 + check_char(first17), name="系统管理员甲")
    person.user = user
    person.save(update_fields=["user"])
    return user


def test_a_disabled_account_loses_its_session_and_token_at_once(people, api, sysadmin):
    worker = people.grid_worker
    client = sign_in(worker.user)
    token = token_issue(user=worker.user)  # after the password that signing in set, which revoked the earlier ones
    assert client.get("/my-grid").status_code == 200
    assert api.get("/api/grids", token=token).status_code == 200
    account_disable(user=worker.user, actor=sysadmin)
    assert client.get("/my-grid").headers["Location"].startswith("/login")
    assert client.get("/api/grids").status_code == 401
    assert api.get("/api/grids", token=token).status_code == 401


def test_a_disabled_account_is_refused_even_if_its_token_were_kept(people, api):
    # Disabling revokes tokens; refusing inactive users is the second line that holds anyway.
    worker = people.grid_worker
    User.objects.filter(pk=worker.user.pk).update(is_active=False)
    assert api.get("/api/grids", token=worker.token).status_code == 401


def test_a_deleted_account_loses_its_session_and_token_at_once(people, api):
    worker = people.other_grid_worker
    client = sign_in(worker.user)
    token = token_issue(user=worker.user)  # after the password that signing in set, which revoked the earlier ones
    assert client.get("/my-grid").status_code == 200
    assert api.get("/api/grids", token=token).status_code == 200
    worker.user.delete()
    assert client.get("/my-grid").headers["Location"].startswith("/login")
    assert api.get("/api/grids", token=token).status_code == 401
