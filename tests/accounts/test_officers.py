"""三员分立: the system administrator manages accounts, the security administrator grants roles
and scopes, the auditor changes nothing; one person, one account, one role; no superuser in
production. Over real HTTP with the officers' tokens, as a role x action grid."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.accounts.sms import delivered_password, with_mobile
from wangge.accounts.auth import token_issue
from wangge.accounts.checks import no_superuser_in_production
from wangge.accounts.models import Role, User
from wangge.core.models import AuditRecord
from wangge.geo.scope import Scope
from wangge.people.identity import check_char
from wangge.people.services.persons import person_find_or_create


def id_number(n: int) -> str:
    first17 = f"41010419800101{n:03d}"
    return first17 + check_char(first17)


def person(n: int, user=None):
    p = person_find_or_create(scope=Scope.district(), id_number=id_number(n), name=f"人员{n}", phone=f"1390000{n:04d}")
    if user is not None:
        p.user = user
        p.save(update_fields=["user"])
    return p


class Officers:
    def __init__(self) -> None:
        self.tokens = {}
        for n, role in enumerate([Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR], start=1):
            user = User.objects.create(username=role.value, role=role)
            person(n, user)
            self.tokens[role.value] = token_issue(user=user)


@pytest.fixture
def officers(people):
    o = Officers()
    o.tokens["district_official"] = people.district_official.token
    return o


ACTORS = ["system_admin", "security_admin", "auditor", "district_official"]


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_system_administrator_creates_accounts(api, officers, actor):
    person(30)
    response = api.post("/api/accounts", token=officers.tokens[actor], json={"username": f"new_{actor}", "full_name": "新用户", "person_id_number": id_number(30)})
    assert response.status_code == (201 if actor == "system_admin" else 403)
    if actor == "system_admin":
        created = User.objects.get(username=f"new_{actor}")
        assert created.role == "" and created.scope_code == "" and created.password_changed_at is None
        assert created.check_password(delivered_password(created))
    else:
        assert "系统管理员" in response.json()["detail"]


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_system_administrator_disables_enables_and_resets(api, officers, people, actor):
    with_mobile(people.grid_worker.user)
    target = people.grid_worker.user.pk
    token = officers.tokens[actor]
    expected = 200 if actor == "system_admin" else 403
    assert api.post(f"/api/accounts/{target}/disable", token=token, json={"reason": "离职"}).status_code == expected
    assert api.post(f"/api/accounts/{target}/enable", token=token).status_code == expected
    assert api.post(f"/api/accounts/{target}/password-reset", token=token).status_code == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_security_administrator_grants_roles_and_scopes(api, officers, people, actor):
    target = people.resident.user
    community = people.home_grid.community.code
    response = api.post(f"/api/accounts/{target.pk}/role", token=officers.tokens[actor], json={"role": "community_official", "scope_code": community})
    assert response.status_code == (200 if actor == "security_admin" else 403)
    target.refresh_from_db()
    assert (target.role, target.scope_code) == (("community_official", community) if actor == "security_admin" else ("resident", ""))


def test_a_grant_is_audited_with_the_role_and_scope_before_and_after(api, officers, people):
    target = people.grid_worker.user
    old_scope = target.scope_code
    api.post(f"/api/accounts/{target.pk}/role", token=officers.tokens["security_admin"], json={"role": "grid_worker", "scope_code": people.other_grid.code})
    row = AuditRecord.objects.get(action="role.granted", object_id=str(target.pk))
    assert row.username == "security_admin"
    assert row.before == {"role": "grid_worker", "scope_code": old_scope}
    assert row.after == {"role": "grid_worker", "scope_code": people.other_grid.code}


def test_creating_and_disabling_are_audited(api, officers, people):
    person(31)
    api.post("/api/accounts", token=officers.tokens["system_admin"], json={"username": "clerk", "person_id_number": id_number(31)})
    api.post(f"/api/accounts/{people.grid_worker.user.pk}/disable", token=officers.tokens["system_admin"], json={})
    assert AuditRecord.objects.filter(action="account.created", username="system_admin").exists()
    disabled = AuditRecord.objects.get(action="account.disabled")
    assert (disabled.before, disabled.after) == ({"is_active": True}, {"is_active": False})


def test_it_audits_disabling_an_account_once(api, officers, people):
    target = people.grid_worker.user
    last = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    api.post(f"/api/accounts/{target.pk}/disable", token=officers.tokens["system_admin"], json={"reason": "调离"})
    rows = AuditRecord.objects.filter(object_type="accounts.user", object_id=str(target.pk), pk__gt=last)
    assert list(rows.values_list("action", flat=True)) == ["account.disabled"]
    row = rows.get()
    assert (row.before, row.after, row.detail, row.username) == ({"is_active": True}, {"is_active": False}, "调离", "system_admin")


def test_nobody_grants_a_role_to_themselves_or_disables_themselves(api, officers):
    security = User.objects.get(username="security_admin")
    grant = api.post(f"/api/accounts/{security.pk}/role", token=officers.tokens["security_admin"], json={"role": "auditor"})
    assert grant.status_code == 403 and "自己" in grant.json()["detail"]
    system = User.objects.get(username="system_admin")
    assert api.post(f"/api/accounts/{system.pk}/disable", token=officers.tokens["system_admin"], json={}).status_code == 403


def test_it_never_grants_an_officer_role_through_the_api(api, officers, people):
    target = people.department_handler.user
    for linked in (False, True):
        if linked:
            person(9, target)
        refused = api.post(f"/api/accounts/{target.pk}/role", token=officers.tokens["security_admin"], json={"role": "auditor"})
        assert refused.status_code == 403 and "wangge officers create" in refused.json()["detail"]
    target.refresh_from_db()
    assert target.role == Role.DEPARTMENT_HANDLER


def test_a_person_has_one_account(api, officers):
    person(10)
    first = api.post("/api/accounts", token=officers.tokens["system_admin"], json={"username": "a1", "person_id_number": id_number(10)})
    second = api.post("/api/accounts", token=officers.tokens["system_admin"], json={"username": "a2", "person_id_number": id_number(10)})
    assert first.status_code == 201 and second.status_code == 400 and "已有平台账号" in second.json()["detail"]


def test_the_auditor_cannot_even_list_accounts(api, officers):
    assert api.get("/api/accounts", token=officers.tokens["auditor"]).status_code == 403
    assert api.get("/api/accounts", token=officers.tokens["security_admin"]).status_code == 200


def test_officers_are_bootstrapped_from_the_console(db):
    person(20)
    out = io.StringIO()
    call_command("officers", "create", "--role", "security_admin", "--username", "sec", "--person-id-number", id_number(20), stdout=out)
    user = User.objects.get(username="sec")
    password = out.getvalue().split("一次性密码：")[1].split()[0]
    assert user.role == Role.SECURITY_ADMIN and user.person.name == "人员20"
    assert user.check_password(password) and user.password_changed_at is None  # changed at first sign-in
    with pytest.raises(CommandError, match="已有平台账号"):
        call_command("officers", "create", "--role", "auditor", "--username", "aud", "--person-id-number", id_number(20), stdout=io.StringIO())


def test_a_fresh_install_registers_the_officer_as_a_person(db):
    call_command("officers", "create", "--role", "auditor", "--username", "aud", "--person-id-number", id_number(21), "--name", "审计员乙", stdout=io.StringIO())
    assert User.objects.get(username="aud").person.name == "审计员乙"
    with pytest.raises(CommandError, match="身份证号：应为18位"):
        call_command("officers", "create", "--role", "auditor", "--username", "aud2", "--person-id-number", "123", "--name", "某", stdout=io.StringIO())


def test_ensureadmin_refuses_in_production(db, settings):
    settings.WANGGE_ENV = "production"
    with pytest.raises(CommandError, match="生产环境"):
        call_command("ensureadmin", stdout=io.StringIO())


def test_ensureadmin_in_development_gives_a_policy_password_that_works(db):
    out = io.StringIO()
    call_command("ensureadmin", "--username", "devadmin", stdout=out)
    password = out.getvalue().split("密码：")[1].split()[0]
    admin = User.objects.get(username="devadmin")
    assert admin.check_password(password) and admin.password_changed_at is not None


def test_an_active_superuser_fails_the_production_check(db, settings):
    User.objects.create(username="root", is_superuser=True, is_active=True)
    assert no_superuser_in_production() == []  # development
    settings.WANGGE_ENV = "production"
    assert [e.id for e in no_superuser_in_production()] == ["accounts.E001"]
    User.objects.filter(username="root").update(is_active=False)
    assert no_superuser_in_production() == []


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_system_administrator_resets_a_lost_authenticator(api, officers, people, actor):
    from wangge.accounts.models import TotpDevice
    from wangge.accounts.services import totp_begin

    target = people.community_official.user
    with_mobile(target)
    totp_begin(user=target)
    response = api.post(f"/api/accounts/{target.pk}/totp-reset", token=officers.tokens[actor])
    assert response.status_code == (200 if actor == "system_admin" else 403)
    target.refresh_from_db()
    if actor == "system_admin":
        assert not TotpDevice.objects.filter(user=target).exists()
        assert response.json() == {"delivered_to": "138****5678"}
        assert target.check_password(delivered_password(target)) and target.password_changed_at is None
        assert AuditRecord.objects.filter(action="auth.totp_reset", object_id=str(target.pk), username="system_admin").exists()
    else:
        assert TotpDevice.objects.filter(user=target).exists()


def test_it_audits_enabling_an_account_once_with_what_changed(api, officers, people):
    target = people.grid_worker.user
    api.post(f"/api/accounts/{target.pk}/disable", token=officers.tokens["system_admin"], json={})
    last = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert api.post(f"/api/accounts/{target.pk}/enable", token=officers.tokens["system_admin"]).status_code == 200
    rows = AuditRecord.objects.filter(object_type="accounts.user", object_id=str(target.pk), pk__gt=last)
    assert list(rows.values_list("action", flat=True)) == ["account.enabled"]
    row = rows.get()
    assert (row.username, row.before["is_active"], row.after["is_active"]) == ("system_admin", False, True)


def test_it_audits_a_grant_once(api, officers, people):
    target = people.grid_worker.user
    last = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    api.post(f"/api/accounts/{target.pk}/role", token=officers.tokens["security_admin"], json={"role": "grid_worker", "scope_code": people.other_grid.code})
    rows = AuditRecord.objects.filter(object_type="accounts.user", object_id=str(target.pk), pk__gt=last)
    assert list(rows.values_list("action", flat=True)) == ["role.granted"]
