"""三员分立 among the officers themselves: none of them disables, enables, resets or changes the
role of another officer or of themselves; an officer's reset needs the two other officers; the
one-time password goes to the officer's own mobile; every refusal is in the audit trail. Over
real HTTP, as a grid of actor x target x action."""

import io
import os
import stat
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.accounts.sms import delivered_password, messages_to, with_mobile
from tests.accounts.test_officers import Officers, id_number, person
from wangge.accounts.auth import token_issue
from wangge.accounts.models import ApiToken, OfficerReset, Role, TotpDevice, User
from wangge.accounts.services import totp_begin
from wangge.core.models import AuditRecord, OutboxMessage

OFFICER_ROLES = ["system_admin", "security_admin", "auditor"]
# action -> (path after /api/accounts/{id}, body)
ACTIONS = {
    "disable": ("/disable", {"reason": "离职"}),
    "enable": ("/enable", None),
    "password-reset": ("/password-reset", None),
    "totp-reset": ("/totp-reset", None),
    "role-grant": ("/role", {"role": "grid_worker", "scope_code": "410104001001001"}),
}


@pytest.fixture
def officers(db):
    return Officers()


def _user(role: str) -> User:
    return User.objects.get(username=role)


def _denied(actor: str) -> int:
    return AuditRecord.objects.filter(username=actor, result=AuditRecord.Result.DENIED).count()


def _state(user: User) -> tuple:
    user.refresh_from_db()
    return user.is_active, user.role, user.scope_code, user.password, TotpDevice.objects.filter(user=user).exists()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("target", OFFICER_ROLES)
@pytest.mark.parametrize("actor", OFFICER_ROLES)
def test_it_refuses_every_officer_acting_on_an_officer(api, officers, actor, target, action):
    victim = _user(target)
    totp_begin(user=victim)
    before, denied = _state(victim), _denied(actor)
    path, body = ACTIONS[action]
    response = api.post(f"/api/accounts/{victim.pk}{path}", token=officers.tokens[actor], json=body)
    assert response.status_code == 403, response.json()
    assert _state(victim) == before
    assert _denied(actor) > denied


@pytest.mark.parametrize("actor", ["system_admin", "security_admin"])
def test_it_audits_the_refusal_as_the_action_refused(api, officers, actor):
    victim = _user("auditor")
    action = "account.password_reset" if actor == "system_admin" else "role.granted"
    path = "/password-reset" if actor == "system_admin" else "/role"
    api.post(f"/api/accounts/{victim.pk}{path}", token=officers.tokens[actor], json={"role": "resident"})
    row = AuditRecord.objects.get(action=action, object_id=str(victim.pk))
    assert row.result == AuditRecord.Result.DENIED and row.username == actor and "三员" in row.detail


def test_it_never_grants_an_officer_role_to_anyone(api, officers, people):
    for role in OFFICER_ROLES:
        response = api.post(f"/api/accounts/{people.resident.user.pk}/role", token=officers.tokens["security_admin"], json={"role": role})
        assert response.status_code == 403 and "wangge officers create" in response.json()["detail"]
    assert User.objects.filter(role="security_admin").count() == 1


@pytest.mark.parametrize("target", OFFICER_ROLES)
@pytest.mark.parametrize("actor", OFFICER_ROLES)
def test_it_lets_only_another_officer_role_request_an_officer_reset(api, officers, actor, target):
    victim, denied = _user(target), _denied(actor)
    response = api.post(f"/api/accounts/{victim.pk}/officer-resets", token=officers.tokens[actor], json={"kind": "password", "reason": "遗失密码"})
    allowed = actor != target
    assert response.status_code == (201 if allowed else 403), response.json()
    assert OfficerReset.objects.filter(target=victim).exists() is allowed
    if allowed:
        assert AuditRecord.objects.filter(action="officer_reset.requested", username=actor, result="ok").exists()
    else:
        assert AuditRecord.objects.get(action="officer_reset.requested", username=actor).result == AuditRecord.Result.DENIED
        assert _denied(actor) > denied


PAIRS = [(requester, target) for requester in OFFICER_ROLES for target in OFFICER_ROLES if requester != target]


@pytest.mark.parametrize("approver", OFFICER_ROLES)
@pytest.mark.parametrize(("requester", "target"), PAIRS)
def test_it_carries_out_an_officer_reset_only_when_the_third_officer_approves(api, officers, requester, target, approver):
    victim = _user(target)
    issued = token_issue(user=victim)
    asked = api.post(f"/api/accounts/{victim.pk}/officer-resets", token=officers.tokens[requester], json={"kind": "password", "reason": "遗失密码"})
    old_password, denied = _state(victim)[3], _denied(approver)
    response = api.post(f"/api/officer-resets/{asked.json()['id']}/approve", token=officers.tokens[approver])
    allowed = approver not in (requester, target)
    assert response.status_code == (200 if allowed else 403), response.json()
    victim.refresh_from_db()
    if allowed:
        assert response.json()["delivered_to"] == victim.person.phone[:3] + "****" + victim.person.phone[-4:]
        password = delivered_password(victim)
        assert password not in response.text and victim.check_password(password) and victim.password_changed_at is None
        assert not ApiToken.objects.filter(digest=ApiToken.digest_of(issued)).exists()
        assert AuditRecord.objects.filter(action="account.password_reset", object_id=str(victim.pk), username=approver).exists()
    else:
        assert victim.password == old_password and OfficerReset.objects.get().approved_at is None
        assert AuditRecord.objects.get(action="officer_reset.approved", username=approver).result == AuditRecord.Result.DENIED
        assert _denied(approver) > denied


def test_a_totp_reset_of_an_officer_removes_the_device(api, officers):
    victim = _user("auditor")
    totp_begin(user=victim)
    asked = api.post(f"/api/accounts/{victim.pk}/officer-resets", token=officers.tokens["system_admin"], json={"kind": "totp", "reason": "手机遗失"})
    assert api.post(f"/api/officer-resets/{asked.json()['id']}/approve", token=officers.tokens["security_admin"]).status_code == 200
    assert not TotpDevice.objects.filter(user=victim).exists()
    assert "动态口令已重置" in messages_to(victim.person.phone)[-1]


def _asked(api, officers, **changes):
    victim = _user("auditor")
    return api.post(f"/api/accounts/{victim.pk}/officer-resets", token=officers.tokens["system_admin"], json={"kind": "password", "reason": "遗失密码", **changes})


def test_it_refuses_an_expired_or_used_request(api, officers):
    rid = _asked(api, officers).json()["id"]
    OfficerReset.objects.filter(pk=rid).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = api.post(f"/api/officer-resets/{rid}/approve", token=officers.tokens["security_admin"])
    assert expired.status_code == 400 and "已过期" in expired.json()["detail"]
    rid = _asked(api, officers).json()["id"]
    assert api.post(f"/api/officer-resets/{rid}/approve", token=officers.tokens["security_admin"]).status_code == 200
    again = api.post(f"/api/officer-resets/{rid}/approve", token=officers.tokens["security_admin"])
    assert again.status_code == 400 and "已审批" in again.json()["detail"]


def test_it_asks_for_a_kind_and_a_reason(api, officers):
    assert _asked(api, officers, kind="everything").json()["errors"][0]["field"] == "kind"
    assert _asked(api, officers, reason="").json()["errors"][0]["field"] == "reason"
    assert not OfficerReset.objects.exists()


def test_the_database_refuses_an_approval_by_the_requester_or_the_target(officers):
    system, auditor = _user("system_admin"), _user("auditor")
    reset = OfficerReset.objects.create(target=auditor, kind="password", reason="遗失密码", requested_by=system, expires_at=timezone.now() + timedelta(hours=1))
    for approver in (system, auditor):
        with pytest.raises(IntegrityError), transaction.atomic():
            OfficerReset.objects.filter(pk=reset.pk).update(approved_by=approver, approved_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerReset.objects.create(target=system, kind="password", reason="遗失密码", requested_by=system, expires_at=timezone.now())


def test_only_officers_list_the_resets(api, officers, people):
    _asked(api, officers)
    listed = api.get("/api/officer-resets", token=officers.tokens["auditor"])
    assert listed.status_code == 200 and listed.json()["items"][0]["target"] == "auditor"
    assert api.get("/api/officer-resets", token=people.district_official.token).status_code == 403


def test_an_officer_without_a_mobile_is_pointed_to_the_console(api, officers):
    _user("auditor").person.__class__.objects.filter(user__username="auditor").update(phone="")
    refused = _asked(api, officers)
    assert refused.status_code == 400 and "wangge officers reset" in refused.json()["detail"]


def test_an_account_without_a_mobile_gets_no_reset_and_no_account(api, officers, people):
    target = people.grid_worker.user
    refused = api.post(f"/api/accounts/{target.pk}/password-reset", token=officers.tokens["system_admin"])
    assert refused.status_code == 400 and "wangge officers reset" in refused.json()["detail"]
    person_without_phone = person(40)
    person_without_phone.__class__.objects.filter(pk=person_without_phone.pk).update(phone="")
    created = api.post("/api/accounts", token=officers.tokens["system_admin"], json={"username": "nophone", "person_id_number": id_number(40)})
    assert created.status_code == 400 and created.json()["errors"][0]["field"] == "person_id_number"
    unlinked = api.post("/api/accounts", token=officers.tokens["system_admin"], json={"username": "nobody"})
    assert unlinked.status_code == 400 and not User.objects.filter(username__in=["nophone", "nobody"]).exists()


def test_the_password_travels_encrypted_and_lands_in_a_private_file(api, officers, people):
    target = people.grid_worker.user
    with_mobile(target, "13712345678")
    response = api.post(f"/api/accounts/{target.pk}/password-reset", token=officers.tokens["system_admin"])
    assert response.status_code == 200 and response.json() == {"delivered_to": "137****5678"}
    queued = OutboxMessage.objects.get(kind="account.one_time_password")
    password = delivered_password(target)
    assert password not in str(queued.payload) and queued.payload["user"] == target.pk
    directory = settings.WANGGE_SMS_DIR
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert all(stat.S_IMODE(os.stat(directory / name).st_mode) == 0o600 for name in os.listdir(directory))
    assert not AuditRecord.objects.filter(after__icontains=password).exists()
    queued.refresh_from_db()
    assert queued.sent_at is not None and "password" not in queued.payload  # sent: the row keeps no secret


def test_the_console_resets_any_account_and_says_so_in_the_trail(officers):
    victim = _user("security_admin")
    totp_begin(user=victim)
    issued = token_issue(user=victim)
    out = io.StringIO()
    call_command("officers", "reset", "--username", "security_admin", "--totp", stdout=out)
    password = out.getvalue().split("一次性密码：")[1].split()[0]
    victim.refresh_from_db()
    assert victim.check_password(password) and not TotpDevice.objects.filter(user=victim).exists()
    assert not ApiToken.objects.filter(digest=ApiToken.digest_of(issued)).exists()
    row = AuditRecord.objects.get(action="auth.totp_reset", object_id=str(victim.pk))
    assert row.detail == "命令行重置" and row.username == ""
    with pytest.raises(CommandError, match="没有这个用户"):
        call_command("officers", "reset", "--username", "nobody", stdout=io.StringIO())


def test_the_console_sets_one_holder_per_officer_role(officers):
    person(41)
    with pytest.raises(CommandError, match="已有在任的安全管理员"):
        call_command("officers", "create", "--role", "security_admin", "--username", "sec2", "--person-id-number", id_number(41), stdout=io.StringIO())
    call_command("officers", "create", "--role", "security_admin", "--username", "sec2", "--person-id-number", id_number(41), "--replace", stdout=io.StringIO())
    assert list(User.objects.filter(role=Role.SECURITY_ADMIN, is_active=True).values_list("username", flat=True)) == ["sec2"]
    disabled = AuditRecord.objects.get(action="account.disabled", object_id=str(_user("security_admin").pk))
    assert "sec2" in disabled.detail and not ApiToken.objects.filter(user__username="security_admin").exists()


def test_the_admin_offers_no_officer_role_and_no_officer_password_form(client, officers, people):
    root = User.objects.create(username="root", is_staff=True, is_superuser=True, scope_code=people.district_official.user.scope_code, role=Role.DISTRICT_OFFICIAL)
    client.force_login(root)
    page = client.get(f"/admin/accounts/user/{people.grid_worker.user.pk}/change/")
    assert page.status_code == 200 and 'value="grid_worker"' in page.text
    assert not any(f'value="{role}"' in page.text for role in OFFICER_ROLES)
    assert client.get(f"/admin/accounts/user/{_user('security_admin').pk}/password/").status_code == 403
