"""Writes to accounts: passwords, second factors, and the three officers' work (三员分立).

The separation (GB/T 22239-2019 8.1.4.2 c), level 3) is kept here, not in the views: the
system administrator creates, disables, enables accounts and resets passwords but grants no
role or scope; the security administrator grants roles and scopes but creates no account; the
auditor changes nothing. Nobody acts on their own account, and an officer role goes only to an
account linked to a registered person, who has one account and so one role.

No officer acts on another officer's account either: officer roles are set only from the
console (`wangge officers create`), and an officer's password or second factor is reset only by
the two other officers together (`resets`) or from the console. Every attempt is audited, the
refused ones too (`_refusals_audited`). A one-time password goes to its receiver's mobile
(`delivery`), never back to whoever asked for it; the services return where it went, masked.
"""

import functools
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.core import pii
from wangge.core.audit import audit_record
from wangge.core.audit_writes import audit_as
from wangge.core.models import AuditRecord
from wangge.geo.scope import prefix_of

from . import lockout, permissions, totp
from .delivery import one_time_password_deliver
from .models import ApiToken, PasswordHistory, Role, TotpDevice, User
from .models.users import OFFICERS
from .passwords import password_generate
from .persons import persons

HISTORY_KEPT = 5


class ProductionRefused(Exception):
    pass


@transaction.atomic
def admin_ensure(*, username: str, password: str) -> bool:
    """The district-wide administrator of a development or demo install; True when created.
    A superuser can do anything, so production has none (see `checks`)."""
    if settings.WANGGE_ENV == "production":
        raise ProductionRefused("生产环境不使用超级管理员：请用 `wangge officers create` 设立三员")
    user, created = User.objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = user.is_active = True
    user.role = Role.DISTRICT_OFFICIAL
    user.full_name = user.full_name or "系统管理员"
    user.scope_code = f"{settings.WANGGE_DISTRICT_CODE}000000"
    lockout.locks_clear(user=user)
    user.save()
    _password_set(user=user, password=password, changed=True)
    return created


@transaction.atomic
def demo_passwords_set(*, users: list[User], password: str) -> None:
    """The demo's sign-in accounts (`wangge demo accounts`) get one password, outside production
    only, counted as just changed; each account's locks are cleared and the set is audited."""
    if settings.WANGGE_ENV == "production":
        raise ProductionRefused("生产环境不设演示账号：演示账号共用一个密码，只用于开发和演示环境")
    for user in users:
        lockout.locks_clear(user=user)
        _password_set(user=user, password=password, changed=True)
        audit_record(action="auth.password_set", obj=user, user=None, detail="演示账号（wangge demo accounts）")


def _password_set(*, user: User, password: str, changed: bool) -> None:
    """Set and remember a password; `changed` False makes it a one-time password. Whatever
    the old password let anyone obtain ends with it: the account's API tokens are revoked."""
    user.set_password(password)
    user.password_changed_at = timezone.now() if changed else None
    user.save(update_fields=["password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = user.password_history.values_list("pk", flat=True)[HISTORY_KEPT:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    ApiToken.objects.filter(user=user).delete()


@transaction.atomic
def password_change(*, user: User, new_password: str, actor: User | None) -> User:
    """A new password for `user`, checked against the policy (ValidationError, in Chinese)."""
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    _password_set(user=user, password=new_password, changed=True)
    audit_record(action="auth.password_changed", obj=user, user=actor, detail="接口令牌已全部吊销")
    return user


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _not_self(*, user: User, actor: User, what: str) -> None:
    _require(user.pk != actor.pk, f"不能{what}自己的账号")


def _not_an_officer(*, user: User, what: str) -> None:
    _require(user.role not in OFFICERS, f"不能通过接口{what}三员账号：三员的密码和动态口令须由另外两名三员共同重置，角色只能在服务器上用 `wangge officers` 命令设立")


def _refusals_audited(action: str):
    """Record a refused attempt under `action` with the result `denied`, outside the refused
    transaction so that the row stays, and let the refusal go on to the caller."""

    def decorate(service):
        @functools.wraps(service)
        def audited(*, user: User, **kwargs):
            try:
                return service(user=user, **kwargs)
            except (PermissionDenied, ValidationError) as problem:
                message = problem.messages[0] if isinstance(problem, ValidationError) else str(problem)
                audit_record(action=action, result=AuditRecord.Result.DENIED, obj=user, user=kwargs.get("actor"), detail=message)
                raise

        return audited

    return decorate


@transaction.atomic
def account_create(*, username: str, full_name: str, actor: User, person_id_number: str = "") -> tuple[User, str]:
    """A new account without role or scope, linked to the registered person with that ID
    number; its one-time password (changed at first sign-in) goes by SMS to the person's
    mobile. Returns the account and that mobile, masked."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以创建账号")
    username = (username or "").strip()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": ["该用户名已存在"]})
    user = User(username=username, full_name=(full_name or "").strip(), is_active=True)
    if not (person_id_number or "").strip():
        raise ValidationError({"person_id_number": ["请填写使用者的身份证号：账号关联已登记的人员，一次性密码以短信发到其登记的手机号"]})
    person = _person_for_link(person_id_number)
    if not (person.phone or "").strip():
        raise ValidationError({"person_id_number": ["该人员未登记手机号，一次性密码无法送达本人：请先登记其手机号"]})
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError({f: ["格式不正确" if f == "username" else m for m in ms] for f, ms in error.message_dict.items()}) from None
    user.save()
    password = password_generate()
    _password_set(user=user, password=password, changed=False)
    _person_link(person=person, user=user)
    audit_record(action="account.created", obj=user, user=actor, after={"username": user.username, "full_name": pii.mask_name(user.full_name), "person_id": person.pk})
    return user, one_time_password_deliver(user=user, password=password, why="created")


RESIDENT_USERNAME_PREFIX = "jm"  # 居民


def resident_account_prepare(*, password: str, password_again: str) -> User:
    """An unsaved resident account under a fresh login name, its password checked against the
    policy (errors name `password` or `password_again`). Checked before the caller matches the
    person, so that a password error says nothing about whether the person matched."""
    user = User(username=_resident_username(), role=Role.RESIDENT, scope_code="", is_active=True)
    errors = {}
    try:
        password_validation.validate_password(password or "", user)
    except ValidationError as error:
        errors["password"] = error.messages
    if not errors and password != password_again:
        errors["password_again"] = ["两次输入的密码不一致"]
    if errors:
        raise ValidationError(errors)
    return user


def _resident_username() -> str:
    # A drawn login name, not the mobile: a username is stored and audited in clear, a mobile
    # only encrypted (PIPL art. 28 sensitive information stays out of plain columns).
    while True:
        username = f"{RESIDENT_USERNAME_PREFIX}{secrets.randbelow(10**8):08d}"
        if not User.objects.filter(username=username).exists():
            return username


@transaction.atomic
def resident_account_create(*, user: User, password: str, person, how: str) -> User:
    """Save the resident account `resident_account_prepare` made and link it to `person`, who
    the caller has matched and locked and who has no account yet. Its password is the
    resident's own, so it is not a one-time password."""
    if person.user_id is not None:
        raise ValidationError({"person": ["该人员已有平台账号"]})
    user.full_name = person.name[:50]
    user.full_clean(exclude=["password"])
    user.save()
    _password_set(user=user, password=password, changed=True)
    _person_link(person=person, user=user)
    audit_record(action="account.created", obj=user, user=user, after={"username": user.username, "role": Role.RESIDENT, "person_id": person.pk}, detail=f"居民自助注册：{how}")
    return user


def _person_for_link(id_number: str):
    # The system administrator keeps the accounts of the whole district and hangs from no
    # node; the answer says only whether the number can be linked, never whose it is.
    person = persons().by_id_number(id_number)
    if person is None:
        raise ValidationError({"person_id_number": ["未找到该身份证号登记的人员，请先登记人员"]})
    if person.user_id is not None:
        raise ValidationError({"person_id_number": ["该人员已有平台账号：一人只能有一个账号、一个角色"]})
    return person


def _person_link(*, person, user: User) -> None:
    person.user = user
    person.save(update_fields=["user"])


@_refusals_audited("account.disabled")
@transaction.atomic
def account_disable(*, user: User, actor: User, reason: str = "") -> User:
    """Disabled at once: sessions end (the backend refuses inactive users) and tokens are revoked."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以停用账号")
    _not_self(user=user, actor=actor, what="停用")
    _not_an_officer(user=user, what="停用")
    return _disable(user=user, actor=actor, reason=reason)


def _disable(*, user: User, actor: User | None, reason: str) -> User:
    user.is_active = False
    audit_as(user, "account.disabled", user=actor, detail=reason[:200])
    user.save(update_fields=["is_active"])
    user.api_tokens.all().delete()
    return user


@_refusals_audited("account.enabled")
@transaction.atomic
def account_enable(*, user: User, actor: User) -> User:
    """Enabled again, and unlocked if a run of failed sign-ins had locked it (from every
    address or from some); the failures before no longer count towards a lock."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以启用账号")
    _not_self(user=user, actor=actor, what="启用")
    _not_an_officer(user=user, what="启用")
    locks = user.address_locks.count()
    user.is_active = True
    lockout.locks_clear(user=user)
    audit_as(user, "account.enabled", user=actor, detail=f"并解除 {locks} 个来源地址的锁定" if locks else "")
    user.save(update_fields=["is_active", "locked_until", "failures_counted_from"])
    return user


@_refusals_audited("account.password_reset")
@transaction.atomic
def account_password_reset(*, user: User, actor: User) -> str:
    """A one-time password, to be changed at the next sign-in, sent to the user's mobile; the
    user's sessions and tokens end. Returns the mobile, masked."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以重置密码")
    _not_self(user=user, actor=actor, what="重置")
    _not_an_officer(user=user, what="重置")
    return password_reset_carry_out(user=user, totp_too=False, actor=actor)


@_refusals_audited("auth.totp_reset")
@transaction.atomic
def account_totp_reset(*, user: User, actor: User) -> str:
    """For a lost phone: the device is removed and a one-time password sent to the user's
    registered mobile, so that only its holder can enrol a new device. Returns it, masked."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以重置动态口令")
    _not_self(user=user, actor=actor, what="重置")
    _not_an_officer(user=user, what="重置")
    return password_reset_carry_out(user=user, totp_too=True, actor=actor)


def password_reset_carry_out(*, user: User, totp_too: bool, actor: User | None, detail: str = "", deliver: bool = True) -> str:
    """The reset itself, once whoever asked has been allowed: a one-time password (tokens
    revoked, lock lifted), and with `totp_too` the second factor removed. Returns the masked
    mobile it was sent to, or with `deliver` False the password itself (the console only)."""
    password = password_generate()
    _password_set(user=user, password=password, changed=False)
    lockout.locks_clear(user=user)
    user.save(update_fields=["locked_until", "failures_counted_from"])
    if totp_too:
        removed = TotpDevice.objects.filter(user=user).delete()[0]
        audit_record(action="auth.totp_reset", obj=user, user=actor, before={"device": bool(removed)}, after={"device": False}, detail=detail)
    else:
        audit_record(action="account.password_reset", obj=user, user=actor, detail=detail)
    if not deliver:
        return password
    return one_time_password_deliver(user=user, password=password, why="totp" if totp_too else "password")


def _check_scope(role: str, scope_code: str) -> None:
    from wangge.geo.models import Division, Grid

    if role in OFFICERS or role == Role.RESIDENT:
        if scope_code:
            raise ValidationError({"scope_code": ["三员和居民不设数据范围"]})
        return
    if prefix_of(scope_code) is None:
        raise ValidationError({"scope_code": ["应为12位区划代码或15位网格代码"]})
    exists = Grid.objects.filter(code=scope_code).exists() if len(scope_code) == 15 else Division.objects.filter(code=scope_code).exists()
    if not exists:
        raise ValidationError({"scope_code": ["没有这个区划或网格"]})


@_refusals_audited("role.granted")
@transaction.atomic
def role_grant(*, user: User, role: str, scope_code: str, actor: User) -> User:
    """Give `user` a role and a data scope (its node of the district tree). Not an officer's
    role, and not to an officer: those are set from the console only (`officer_create`)."""
    _require(permissions.can_grant_roles(actor), "只有安全管理员可以授予角色和数据范围")
    _require(user.pk != actor.pk, "不能给自己授予角色或数据范围")
    _require(role not in OFFICERS, "三员角色不能通过接口授予：只能由运维人员在服务器上用 `wangge officers create` 设立")
    _not_an_officer(user=user, what="更改角色或数据范围的")
    if role not in Role.values:
        raise ValidationError({"role": ["没有这个角色"]})
    if not user.is_active:
        raise ValidationError({"user": ["账号已停用，不能授予角色"]})
    scope_code = (scope_code or "").strip()
    _check_scope(role, scope_code)
    user.role, user.scope_code = role, scope_code
    audit_as(user, "role.granted", user=actor)
    user.save(update_fields=["role", "scope_code"])
    return user


CONSOLE = "命令行设立三员"


@transaction.atomic
def officer_create(*, role: str, username: str, person_id_number: str, person_name: str = "", replace: bool = False) -> tuple[User, str]:
    """Bootstrap one of the three officers from the console (`wangge officers create`): the
    only path that grants an officer role. A fresh install knows nobody yet, so the person is
    registered here when `person_name` is given. One active holder per officer role: with
    `replace` the previous holder is disabled, otherwise a second one is refused."""
    if role not in OFFICERS:
        raise ValidationError({"role": ["应为 system_admin、security_admin 或 auditor"]})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": ["该用户名已存在"]})
    if person_name:
        persons().find_or_create(person_id_number, person_name)
    person = _person_for_link(person_id_number)
    holders = list(User.objects.select_for_update().filter(role=role, is_active=True))
    if holders and not replace:
        names = "、".join(h.username for h in holders)
        raise ValidationError({"role": [f"已有在任的{Role(role).label}（{names}）：每个三员角色只设一人；如需更换，加 --replace 停用原账号"]})
    for holder in holders:
        _disable(user=holder, actor=None, reason=f"{CONSOLE}：由 {username} 接任")
    user = User(username=username, full_name=person.name, role=role, is_active=True)
    user.full_clean(exclude=["password"])
    user.save()
    password = password_generate()
    _password_set(user=user, password=password, changed=False)
    _person_link(person=person, user=user)
    audit_record(action="account.created", obj=user, after={"username": username, "person_id": person.pk}, detail=CONSOLE)
    audit_record(action="role.granted", obj=user, before={"role": "", "scope_code": ""}, after={"role": role, "scope_code": ""}, detail=CONSOLE)
    return user, password


@transaction.atomic
def account_reset_offline(*, username: str, totp_too: bool) -> tuple[User, str]:
    """From the console (`wangge officers reset`): the way in when no two officers can reset an
    officer, or an account has no mobile to receive. The operator at the server gets the
    one-time password; the audit trail records that the console did it."""
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        raise ValidationError({"username": ["没有这个用户"]})
    return user, password_reset_carry_out(user=user, totp_too=totp_too, actor=None, detail="命令行重置", deliver=False)


@transaction.atomic
def totp_begin(*, user: User) -> TotpDevice:
    """The user's device, with a fresh secret while it is not yet confirmed."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=totp.secret_new())
    return device


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> bool:
    """Confirm enrolment with a first code from the app."""
    device = TotpDevice.objects.select_for_update().get(user=user)
    step = totp.matching_step(device.secret, code, after_step=device.last_step)
    if step is None:
        return False
    device.confirmed_at, device.last_step = timezone.now(), step
    device.save(update_fields=["confirmed_at", "last_step"])
    audit_record(action="auth.totp_enrolled", obj=user, user=user)
    return True


@transaction.atomic
def totp_verify(*, user: User, code: str) -> bool:
    """A code from the confirmed device; each time step is accepted once (no replay)."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = totp.matching_step(device.secret, code, after_step=device.last_step)
    if step is None:
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    return True
