"""`wangge demo accounts`: one sign-in account per demo role, one fresh password, printed;
refused in production."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from wangge.accounts.models import Role, User

ROLES = {"区级干部", "街道干部", "社区干部", "网格员", "职能部门经办人", "物业服务企业", "系统管理员", "安全管理员", "安全审计员", "居民", "资源提供方"}
LINE = re.compile(r"^  (\S+)\s+(\S+)\s+(\S+)$", re.M)


def _printed(capsys) -> tuple[dict[str, str], str]:
    out = capsys.readouterr().out
    rows = {m[1]: m[2] for m in LINE.finditer(out) if m[1] != "角色"}
    return rows, re.search(r"共用密码：(\S+)", out)[1]


def test_it_prints_one_account_per_role_and_each_signs_in_with_the_password(client, db, capsys):
    call_command("demo", "accounts")
    rows, password = _printed(capsys)

    assert set(rows) == ROLES
    for role, username in rows.items():
        user = User.objects.get(username=username)
        assert Role(user.role).label == role and user.is_active
        client.logout()
        response = client.post("/login", {"username": username, "password": password})
        assert response.status_code == 302, (role, response.content.decode()[:300])
        # Officials and officers are sent to enrol their authenticator; the others are in.
        second_factor = user.role in {Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
        assert response["Location"].startswith("/account/totp") == second_factor, (role, response["Location"])


def test_a_second_run_gives_a_new_password_and_the_old_one_stops_working(client, db, capsys):
    call_command("demo", "accounts")
    first_rows, first = _printed(capsys)
    call_command("demo", "accounts")
    rows, second = _printed(capsys)

    assert rows == first_rows and second != first
    username = rows["网格员"]
    assert client.post("/login", {"username": username, "password": first}).status_code == 200
    assert client.post("/login", {"username": username, "password": second}).status_code == 302


@override_settings(WANGGE_ENV="production")
def test_it_is_refused_in_production(db):
    before = list(User.objects.order_by("pk").values_list("pk", "password"))
    with pytest.raises(CommandError, match="生产环境不设演示账号"):
        call_command("demo", "accounts")
    assert list(User.objects.order_by("pk").values_list("pk", "password")) == before


def test_it_makes_its_own_demo_accounts_and_touches_no_one_elses(client, db, people, capsys):
    # The district's own people: a grid worker, a handler and a resident of the demo, and the personas.
    others = list(User.objects.exclude(username__startswith="demo_").filter(role__in=[Role.GRID_WORKER, Role.DEPARTMENT_HANDLER, Role.RESIDENT]).order_by("username")[:40])
    others += [people.grid_worker.user, people.department_handler.user, people.resident.user]
    before = {u.pk: (u.password, u.password_changed_at, u.role, u.scope_code, u.is_active) for u in others}
    call_command("demo", "accounts")
    rows, password = _printed(capsys)

    assert all(username.startswith("demo_") for username in rows.values()), rows
    assert {rows["网格员"], rows["职能部门经办人"], rows["居民"]} == {"demo_gridworker", "demo_handler", "demo_resident"}
    after = {u.pk: (u.password, u.password_changed_at, u.role, u.scope_code, u.is_active) for u in User.objects.filter(pk__in=before)}
    assert after == before
    for user in others[:5]:
        assert client.post("/login", {"username": user.username, "password": password}).status_code == 200
    handler = User.objects.get(username="demo_handler")
    assert handler.departments.exists()  # it has a queue to land on
