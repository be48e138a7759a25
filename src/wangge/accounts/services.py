"""Writes to accounts: passwords, second factors, and the three officers' work (三员分立).

The separation (GB/T 22239-2019 8.1.4.2 c), level 3) is kept here, not in the views: the
system administrator creates, disables, enables accounts and resets passwords but grants no
role or scope; the security administrator grants roles and scopes but creates no account; the
auditor changes nothing. Nobody acts on their own account, and an officer role goes only to an
account linked to a registered person, who has one account and so one role.
"""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import lockout, permissions, totp
from .audit import audit_record
from .models import PasswordHistory, Role, TotpDevice, User
from .models.users import OFFICERS
from .passwords import password_generate
from .scope import Scope, prefix_of

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


def _password_set(*, user: User, password: str, changed: bool) -> None:
    """Set and remember a password; `changed` False makes it a one-time password."""
    user.set_password(password)
    user.password_changed_at = timezone.now() if changed else None
    user.save(update_fields=["password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = user.password_history.values_list("pk", flat=True)[HISTORY_KEPT:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


@transaction.atomic
def password_change(*, user: User, new_password: str, actor: User | None) -> User:
    """A new password for `user`, checked against the policy (ValidationError, in Chinese)."""
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    _password_set(user=user, password=new_password, changed=True)
    audit_record(action="auth.password_changed", obj=user, user=actor)
    return user


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _not_self(*, user: User, actor: User, what: str) -> None:
    _require(user.pk != actor.pk, f"不能{what}自己的账号")


@transaction.atomic
def account_create(*, username: str, full_name: str, actor: User, person_id_number: str = "") -> tuple[User, str]:
    """A new account without role or scope, and its one-time password (changed at first
    sign-in). Optionally linked to the registered person with that ID number."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以创建账号")
    username = (username or "").strip()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": ["该用户名已存在"]})
    user = User(username=username, full_name=(full_name or "").strip(), is_active=True)
    person = _person_for_link(person_id_number) if person_id_number else None
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError({f: ["格式不正确" if f == "username" else m for m in ms] for f, ms in error.message_dict.items()}) from None
    user.save()
    password = password_generate()
    _password_set(user=user, password=password, changed=False)
    if person is not None:
        _person_link(person=person, user=user)
    audit_record(action="account.created", obj=user, user=actor, after={"username": user.username, "full_name": user.full_name, "person_id": person.pk if person else None})
    return user, password


def _person_for_link(id_number: str):
    from wangge.people.selectors.persons import person_by_id_number
    from wangge.people.services.persons import id_digest

    # The system administrator keeps the accounts of the whole district and hangs from no
    # node; the answer says only whether the number can be linked, never whose it is.
    person = person_by_id_number(Scope.district(), id_digest(id_number))
    if person is None:
        raise ValidationError({"person_id_number": ["未找到该身份证号登记的人员，请先登记人员"]})
    if person.user_id is not None:
        raise ValidationError({"person_id_number": ["该人员已有平台账号：一人只能有一个账号、一个角色"]})
    return person


def _person_link(*, person, user: User) -> None:
    person.user = user
    person.save(update_fields=["user"])


@transaction.atomic
def account_disable(*, user: User, actor: User, reason: str = "") -> User:
    """Disabled at once: sessions end (the backend refuses inactive users) and tokens are revoked."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以停用账号")
    _not_self(user=user, actor=actor, what="停用")
    before = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.api_tokens.all().delete()
    audit_record(action="account.disabled", obj=user, user=actor, before={"is_active": before}, after={"is_active": False}, detail=reason[:200])
    return user


@transaction.atomic
def account_enable(*, user: User, actor: User) -> User:
    """Enabled again, and unlocked if a run of failed sign-ins had locked it (from every
    address or from some); the failures before no longer count towards a lock."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以启用账号")
    _not_self(user=user, actor=actor, what="启用")
    before = {"is_active": user.is_active, "locked_until": user.locked_until.isoformat() if user.locked_until else None, "address_locks": user.address_locks.count()}
    user.is_active = True
    lockout.locks_clear(user=user)
    user.save(update_fields=["is_active", "locked_until", "failures_counted_from"])
    audit_record(action="account.enabled", obj=user, user=actor, before=before, after={"is_active": True, "locked_until": None, "address_locks": 0})
    return user


@transaction.atomic
def account_password_reset(*, user: User, actor: User) -> str:
    """A one-time password, to be changed at the next sign-in; the user's sessions end."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以重置密码")
    _not_self(user=user, actor=actor, what="重置")
    password = password_generate()
    _password_set(user=user, password=password, changed=False)
    lockout.locks_clear(user=user)
    user.save(update_fields=["locked_until", "failures_counted_from"])
    audit_record(action="account.password_reset", obj=user, user=actor)
    return password


@transaction.atomic
def account_totp_reset(*, user: User, actor: User) -> str:
    """For a lost phone: the device is removed and a one-time password issued, so that only
    whoever receives that password from the administrator can enrol a new device."""
    _require(permissions.can_manage_accounts(actor), "只有系统管理员可以重置动态口令")
    _not_self(user=user, actor=actor, what="重置")
    removed = TotpDevice.objects.filter(user=user).delete()[0]
    password = password_generate()
    _password_set(user=user, password=password, changed=False)
    audit_record(action="auth.totp_reset", obj=user, user=actor, before={"device": bool(removed)}, after={"device": False})
    return password


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


@transaction.atomic
def role_grant(*, user: User, role: str, scope_code: str, actor: User) -> User:
    """Give `user` a role and a data scope (its node of the district tree)."""
    _require(permissions.can_grant_roles(actor), "只有安全管理员可以授予角色和数据范围")
    _require(user.pk != actor.pk, "不能给自己授予角色或数据范围")
    if role not in Role.values:
        raise ValidationError({"role": ["没有这个角色"]})
    if not user.is_active:
        raise ValidationError({"user": ["账号已停用，不能授予角色"]})
    if role in OFFICERS and not _linked_person(user):
        raise ValidationError({"role": ["三员须由已登记的人员担任：请先由系统管理员为该账号关联人员（一人一账号一角色）"]})
    scope_code = (scope_code or "").strip()
    _check_scope(role, scope_code)
    before = {"role": user.role, "scope_code": user.scope_code}
    user.role, user.scope_code = role, scope_code
    user.save(update_fields=["role", "scope_code"])
    audit_record(action="role.granted", obj=user, user=actor, before=before, after={"role": role, "scope_code": scope_code})
    return user


def _linked_person(user: User):
    from wangge.people.models import Person

    return Person.objects.filter(user=user).first()


@transaction.atomic
def officer_create(*, role: str, username: str, person_id_number: str, person_name: str = "") -> tuple[User, str]:
    """Bootstrap one of the three officers from the console (`wangge officers create`): the
    only path that grants a role without a security administrator, for the first ones. A
    fresh install knows nobody yet, so the person is registered here when `person_name` is given."""
    if role not in OFFICERS:
        raise ValidationError({"role": ["应为 system_admin、security_admin 或 auditor"]})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": ["该用户名已存在"]})
    if person_name:
        from wangge.people.services.persons import person_find_or_create

        person_find_or_create(scope=Scope.district(), id_number=person_id_number, name=person_name)
    person = _person_for_link(person_id_number)
    user = User(username=username, full_name=person.name, role=role, is_active=True)
    user.full_clean(exclude=["password"])
    user.save()
    password = password_generate()
    _password_set(user=user, password=password, changed=False)
    _person_link(person=person, user=user)
    audit_record(action="account.created", obj=user, after={"username": username, "person_id": person.pk}, detail="命令行设立三员")
    audit_record(action="role.granted", obj=user, before={"role": "", "scope_code": ""}, after={"role": role, "scope_code": ""}, detail="命令行设立三员")
    return user, password


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
