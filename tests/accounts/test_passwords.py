"""The password policy: complexity, history, expiry, and the change page before anything else."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.accounts.signing import PASSWORD, give_password, sign_in
from wangge.accounts.auth import token_issue
from wangge.accounts.models import PasswordHistory
from wangge.core.models import AuditRecord


@pytest.mark.parametrize(
    "password,reason",
    [
        ("Ab1-short", "至少需要 12 个字符"),
        ("alllowercase-words", "至少 3 类"),
        ("ALLUPPER12345678", "至少 3 类"),
        ("Grid_Worker-2024x", "不能包含用户名"),
    ],
)
def test_it_refuses_a_weak_password_in_chinese(people, password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, people.grid_worker.user)
    assert any(reason in message for message in refused.value.messages)


def test_it_accepts_a_password_of_three_classes(people):
    validate_password("lower-and-digits-42", people.grid_worker.user)


def test_none_of_the_last_five_passwords_comes_back(people):
    user = people.grid_worker.user
    used = [f"Rotation-{n}-Secret" for n in range(6)]
    for password in used:
        give_password(user, password)
    for password in used[1:]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            give_password(user, password)
    give_password(user, used[0])  # the sixth-last is allowed again
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_a_change_is_recorded_and_audited_without_the_password(people):
    user = people.grid_worker.user
    give_password(user)
    user.refresh_from_db()
    assert user.password_changed_at > timezone.now() - timedelta(minutes=1)
    row = AuditRecord.objects.filter(action="auth.password_changed", object_id=str(user.pk)).get()
    assert PASSWORD not in str([row.before, row.after, row.detail])


def test_an_expired_password_is_changed_before_anything_else(people, settings):
    user = people.grid_worker.user
    client = sign_in(user)
    user.password_changed_at = timezone.now() - timedelta(days=settings.WANGGE_PASSWORD_MAX_AGE_DAYS + 1)
    user.save(update_fields=["password_changed_at"])
    assert client.get("/my-grid").headers["Location"].startswith("/account/password")
    api = client.get("/api/grids")
    assert api.status_code == 403 and "密码已过期" in api.json()["detail"]
    page = client.get("/account/password")
    assert page.status_code == 200 and "请先修改密码" in page.content.decode()
    refused = client.post("/account/password", {"old_password": PASSWORD, "new_password": PASSWORD, "new_password2": PASSWORD})
    assert "最近 5 次" in refused.content.decode()
    new = "Another-Good-One-7"
    done = client.post("/account/password", {"old_password": PASSWORD, "new_password": new, "new_password2": new})
    assert done.headers["Location"] == "/my-grid"
    assert client.get("/my-grid").status_code == 200


def test_a_token_of_an_expired_password_is_refused_with_403(people):
    user = people.grid_worker.user
    give_password(user)  # which revokes the tokens issued before it
    token = token_issue(user=user)
    user.password_changed_at = timezone.now() - timedelta(days=365)
    user.save(update_fields=["password_changed_at"])
    response = Client().get("/api/grids", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]


def test_a_password_not_set_through_the_policy_must_be_changed(people):
    user = people.grid_worker.user
    user.set_password("Set-by-hand-2024")
    user.save()
    client = Client()
    client.post("/login", {"username": user.username, "password": "Set-by-hand-2024"})
    assert client.get("/my-grid").headers["Location"].startswith("/account/password")


def test_it_counts_wrong_current_passwords_towards_the_lockout_and_ends_the_session(people):
    user = people.grid_worker.user
    client = sign_in(user)
    wrong = {"old_password": "Not-My-Password-1", "new_password": "Another-Good-One-7", "new_password2": "Another-Good-One-7"}
    for _ in range(4):
        assert "当前密码不正确" in client.post("/account/password", wrong).content.decode()
    assert "已退出登录" in client.post("/account/password", wrong).content.decode()
    assert client.get("/account/password").headers["Location"].startswith("/login")
    rows = AuditRecord.objects.filter(action="auth.password_check", object_id=str(user.pk))
    assert [row.result for row in rows] == ["failed"] * 5
    assert "用户名或密码不正确" in Client().post("/login", {"username": user.username, "password": PASSWORD}).content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
