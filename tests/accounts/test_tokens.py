"""API tokens die: they expire, any reset or password change revokes them, and their owner
lists and revokes them. Over real HTTP."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accounts.sms import with_mobile
from tests.accounts.test_officers import Officers
from wangge.accounts.auth import token_issue
from wangge.accounts.models import ApiToken, User
from wangge.accounts.services import password_change
from wangge.core.models import AuditRecord


def _works(api, token: str) -> bool:
    return api.get("/api/account/tokens", token=token).status_code == 200


def test_it_refuses_an_expired_token(api, people):
    token = people.grid_worker.token
    assert _works(api, token)
    ApiToken.objects.filter(user=people.grid_worker.user).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api.get("/api/cases", token=token).status_code == 401


def test_a_token_lasts_the_configured_days(people, settings):
    settings.WANGGE_TOKEN_DAYS = 7
    token_issue(user=people.resident.user)
    newest = ApiToken.objects.filter(user=people.resident.user).latest("pk")
    assert abs(newest.expires_at - (newest.created_at + timedelta(days=7))) < timedelta(seconds=5)


@pytest.mark.parametrize("reset", ["password-reset", "totp-reset"])
def test_a_reset_revokes_the_users_tokens(api, people, reset):
    officers = Officers()
    worker = people.grid_worker
    with_mobile(worker.user)
    assert api.post(f"/api/accounts/{worker.user.pk}/{reset}", token=officers.tokens["system_admin"]).status_code == 200
    assert not _works(api, worker.token)


def test_a_password_change_revokes_the_users_tokens(api, people):
    worker = people.grid_worker
    second = token_issue(user=worker.user)
    password_change(user=worker.user, new_password="Xq7!mRz2#pLw9v", actor=worker.user)
    assert not _works(api, worker.token) and not _works(api, second)
    assert not ApiToken.objects.filter(user=worker.user).exists()


def test_it_lists_the_callers_own_tokens_without_their_secret(api, people):
    token_issue(user=people.grid_worker.user)
    listed = api.get("/api/account/tokens", token=people.grid_worker.token).json()
    assert len(listed) == 2 == ApiToken.objects.filter(user=people.grid_worker.user).count()
    assert set(listed[0]) == {"id", "created_at", "last_used_at", "expires_at"}
    assert people.grid_worker.token not in str(listed)
    others = set(ApiToken.objects.exclude(user=people.grid_worker.user).values_list("pk", flat=True))
    assert not others & {t["id"] for t in listed}


def test_the_owner_revokes_a_token_and_nobody_else_can(api, people):
    worker, other = people.grid_worker, people.other_grid_worker
    spare = token_issue(user=worker.user)
    spare_id = ApiToken.objects.get(digest=ApiToken.digest_of(spare)).pk
    refused = api.delete(f"/api/account/tokens/{spare_id}", token=other.token)
    assert refused.status_code == 404 and refused.json()["detail"] == "未找到该对象"
    assert _works(api, spare)
    assert api.delete(f"/api/account/tokens/{spare_id}", token=worker.token).status_code == 204
    assert not _works(api, spare) and _works(api, worker.token)
    assert AuditRecord.objects.filter(action="accounts.apitoken.deleted", object_id=str(spare_id), username="grid_worker").exists()
    assert User.objects.get(pk=worker.user.pk).is_active
