"""Accounts over the API, for the two administrators of 三员分立: the system administrator
creates, disables, enables accounts and resets passwords; the security administrator grants
roles and scopes. The rules live in `services`; this only maps them to HTTP."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.pagination import Paged, Shown

from . import permissions, services
from .models import TotpDevice, User

router = Router(tags=["账号"])


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    scope_code: str
    is_active: bool
    locked_until: datetime | None
    totp_enabled: bool
    person_linked: bool


class AccountIn(Schema):
    username: str
    full_name: str = ""
    person_id_number: str = ""


class CreatedOut(Schema):
    account: AccountOut
    password: str  # one-time: shown once, changed at the first sign-in


class PasswordOut(Schema):
    password: str


class DisableIn(Schema):
    reason: str = ""


class RoleIn(Schema):
    role: str
    scope_code: str = ""


def _out(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": user.get_role_display() if user.role else "",
        "scope_code": user.scope_code,
        "is_active": user.is_active,
        "locked_until": user.locked_until,
        "totp_enabled": TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists(),
        "person_linked": hasattr(user, "person") and user.person is not None,
    }


def _account(request, account_id: int) -> User:
    if not permissions.can_list_accounts(request.user):
        raise PermissionDenied("只有系统管理员和安全管理员可以管理账号")
    return get_object_or_404(User, pk=account_id)


@router.get("", response=list[AccountOut])
@paginate(Paged)
def account_list(request, role: str | None = None, active: bool | None = None):
    if not permissions.can_list_accounts(request.user):
        raise PermissionDenied("只有系统管理员和安全管理员可以查看账号")
    users = User.objects.order_by("username")
    if role is not None:
        users = users.filter(role=role)
    if active is not None:
        users = users.filter(is_active=active)
    return Shown(users, _out)


@router.get("/{account_id}", response=AccountOut)
def account_detail(request, account_id: int):
    return _out(_account(request, account_id))


@router.post("", response={201: CreatedOut})
def account_create(request, payload: AccountIn):
    user, password = services.account_create(actor=request.user, **payload.dict())
    return Status(201, {"account": _out(user), "password": password})


@router.post("/{account_id}/disable", response=AccountOut)
def account_disable(request, account_id: int, payload: DisableIn):
    return _out(services.account_disable(user=_account(request, account_id), actor=request.user, reason=payload.reason))


@router.post("/{account_id}/enable", response=AccountOut)
def account_enable(request, account_id: int):
    return _out(services.account_enable(user=_account(request, account_id), actor=request.user))


@router.post("/{account_id}/password-reset", response=PasswordOut)
def account_password_reset(request, account_id: int):
    return {"password": services.account_password_reset(user=_account(request, account_id), actor=request.user)}


@router.post("/{account_id}/totp-reset", response=PasswordOut)
def account_totp_reset(request, account_id: int):
    """For a lost phone: removes the user's authenticator and issues a one-time password."""
    return {"password": services.account_totp_reset(user=_account(request, account_id), actor=request.user)}


@router.post("/{account_id}/role", response=AccountOut)
def role_grant(request, account_id: int, payload: RoleIn):
    user = services.role_grant(user=_account(request, account_id), actor=request.user, role=payload.role, scope_code=payload.scope_code)
    return _out(user)
