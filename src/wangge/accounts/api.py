"""Accounts over the API, for the three officers of 三员分立: the system administrator
creates, disables, enables accounts and resets passwords; the security administrator grants
roles and scopes; an officer's own resets need the two other officers (`officer-resets`).
One-time passwords are sent to their receiver's mobile: answers say only where, masked.
The rules live in `services` and `resets`; this only maps them to HTTP."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.pagination import Paged, Shown

from . import lockout, permissions, resets, services
from .models import OfficerReset, User

router = Router(tags=["账号"])
resets_router = Router(tags=["账号"])


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


class AccountCreatedOut(Schema):
    account: AccountOut
    delivered_to: str  # the masked mobile the one-time password was sent to


class DeliveredOut(Schema):
    delivered_to: str


class OfficerResetIn(Schema):
    kind: str
    reason: str = ""


class OfficerResetOut(Schema):
    id: int
    target: str
    kind: str
    reason: str
    requested_by: str
    requested_at: datetime
    expires_at: datetime
    approved_by: str | None
    approved_at: datetime | None


class ApprovedOut(Schema):
    reset: OfficerResetOut
    delivered_to: str


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
        "totp_enabled": lockout.second_factor_confirmed(user),
        "person_linked": hasattr(user, "person") and user.person is not None,
    }


def _reset_out(reset: OfficerReset) -> dict:
    return {
        "id": reset.pk,
        "target": reset.target.username,
        "kind": reset.kind,
        "reason": reset.reason,
        "requested_by": reset.requested_by.username,
        "requested_at": reset.requested_at,
        "expires_at": reset.expires_at,
        "approved_by": reset.approved_by.username if reset.approved_by else None,
        "approved_at": reset.approved_at,
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


@router.post("", response={201: AccountCreatedOut})
def account_create(request, payload: AccountIn):
    """The one-time password goes by SMS to the linked person's registered mobile."""
    user, delivered_to = services.account_create(actor=request.user, **payload.dict())
    return Status(201, {"account": _out(user), "delivered_to": delivered_to})


@router.post("/{account_id}/disable", response=AccountOut)
def account_disable(request, account_id: int, payload: DisableIn):
    return _out(services.account_disable(user=_account(request, account_id), actor=request.user, reason=payload.reason))


@router.post("/{account_id}/enable", response=AccountOut)
def account_enable(request, account_id: int):
    return _out(services.account_enable(user=_account(request, account_id), actor=request.user))


@router.post("/{account_id}/password-reset", response=DeliveredOut)
def account_password_reset(request, account_id: int):
    """The one-time password goes by SMS to the account's registered mobile."""
    return {"delivered_to": services.account_password_reset(user=_account(request, account_id), actor=request.user)}


@router.post("/{account_id}/totp-reset", response=DeliveredOut)
def account_totp_reset(request, account_id: int):
    """For a lost phone: removes the user's authenticator; a one-time password goes by SMS."""
    return {"delivered_to": services.account_totp_reset(user=_account(request, account_id), actor=request.user)}


@router.post("/{account_id}/officer-resets", response={201: OfficerResetOut})
def officer_reset_request(request, account_id: int, payload: OfficerResetIn):
    """An officer's reset, asked for by one of the two other officers; the third approves."""
    if not resets.is_officer(request.user):
        raise PermissionDenied(resets.OFFICERS_ONLY)
    target = get_object_or_404(User, pk=account_id)
    return Status(201, _reset_out(resets.officer_reset_request(target=target, actor=request.user, **payload.dict())))


@router.post("/{account_id}/role", response=AccountOut)
def role_grant(request, account_id: int, payload: RoleIn):
    user = services.role_grant(user=_account(request, account_id), actor=request.user, role=payload.role, scope_code=payload.scope_code)
    return _out(user)


@resets_router.get("", response=list[OfficerResetOut])
@paginate(Paged)
def officer_reset_list(request):
    return Shown(resets.officer_reset_list(actor=request.user), _reset_out)


@resets_router.post("/{reset_id}/approve", response=ApprovedOut)
def officer_reset_approve(request, reset_id: int):
    """By the third officer: carries the reset out and sends the one-time password by SMS."""
    reset, delivered_to = resets.officer_reset_approve(reset_id=reset_id, actor=request.user)
    return {"reset": _reset_out(reset), "delivered_to": delivered_to}
