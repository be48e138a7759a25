"""Sign-in attempts and lockout (GB/T 22239-2019 8.1.4.1 b): limit failed sign-ins, lock).

Three limits, all read from `LoginAttempt`:
- an account is locked *for one source address* (`AddressLock`) for WANGGE_LOCKOUT_MINUTES
  after WANGGE_LOCKOUT_FAILURES consecutive failures (password or code) from that address, so
  that whoever types wrong passwords for a name locks it out of their own address only;
- an account is locked *from every address* (`User.locked_until`) for as long after
  WANGGE_ACCOUNT_LOCKOUT_FAILURES consecutive failures from any addresses, against guessing
  spread over many machines; an account with a confirmed TOTP device may still sign in with
  the right password and code, so that nobody can keep an officer out;
- a source address is refused while it has WANGGE_ADDRESS_FAILURES failures within
  WANGGE_ADDRESS_WINDOW_MINUTES, so that one machine cannot walk through many accounts.
A refused attempt is not checked at all: the password is never compared while a lock holds.
A lock reads exactly like a wrong password (`FAILED`), so that it never confirms to a stranger
that an account exists. Every attempt is stored and audited; the password never is.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wangge.core.audit import audit_record
from wangge.core.models import AuditRecord

from .models import AddressLock, LoginAttempt, TotpDevice, User

LOGIN = "auth.login"


def failed_text() -> str:
    """The one answer to a wrong name, a wrong password and a locked account alike; it tells the
    owner what a lock means and where help is without saying that this account is locked."""
    return f"用户名或密码不正确。连续多次输入错误后，账号将被锁定 {settings.WANGGE_LOCKOUT_MINUTES} 分钟；如需帮助请联系系统管理员。"


def second_factor_confirmed(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def _address_refused(address: str | None) -> bool:
    if not address:
        return False
    window = timezone.now() - timedelta(minutes=settings.WANGGE_ADDRESS_WINDOW_MINUTES)
    failures = LoginAttempt.objects.filter(address=address, succeeded=False, at__gte=window).count()
    return failures >= settings.WANGGE_ADDRESS_FAILURES


def account_locked(user: User, address: str | None) -> bool:
    """True when `user` may not sign in from `address` now."""
    now = timezone.now()
    if AddressLock.objects.filter(user=user, address=address, locked_until__gt=now).exists():
        return True
    return bool(user.locked_until and user.locked_until > now) and not second_factor_confirmed(user)


def signin_refusal(*, username: str, address: str | None) -> str | None:
    """Why this attempt is refused before any password is looked at, or None."""
    if _address_refused(address):
        return f"该地址登录失败次数过多，请 {settings.WANGGE_ADDRESS_WINDOW_MINUTES} 分钟后再试"
    user = User.objects.filter(username=username).first()
    return failed_text() if user is not None and account_locked(user, address) else None


def _failures_since(user: User, attempts, *ends) -> int:
    """Checked failures among `attempts` since the last success among them, since `ends` (locks
    that ran out) and since an administrator last unlocked the account."""
    last_success = attempts.filter(succeeded=True).aggregate(at=Max("at"))["at"]
    since = max(filter(None, [last_success, user.failures_counted_from, *ends]), default=None)
    failures = attempts.filter(succeeded=False, refused=False)
    return (failures.filter(at__gt=since) if since else failures).count()


def _lock_address(user: User, address: str | None) -> None:
    attempts = LoginAttempt.objects.filter(username=user.username, address=address)
    lock = AddressLock.objects.filter(user=user, address=address).first()
    if _failures_since(user, attempts, lock and lock.locked_until) < settings.WANGGE_LOCKOUT_FAILURES:
        return
    until = timezone.now() + timedelta(minutes=settings.WANGGE_LOCKOUT_MINUTES)
    AddressLock.objects.update_or_create(user=user, address=address, defaults={"locked_until": until})
    detail = f"自 {address or '未知地址'} 连续 {settings.WANGGE_LOCKOUT_FAILURES} 次登录失败，仅对该地址锁定"
    audit_record(action="auth.locked", result=AuditRecord.Result.DENIED, obj=user, after={"address": address, "locked_until": until.isoformat()}, detail=detail, address=address)


def _lock_everywhere(user: User, address: str | None) -> None:
    attempts = LoginAttempt.objects.filter(username=user.username)
    if _failures_since(user, attempts, user.locked_until) < settings.WANGGE_ACCOUNT_LOCKOUT_FAILURES:
        return
    user.locked_until = timezone.now() + timedelta(minutes=settings.WANGGE_LOCKOUT_MINUTES)
    user.save(update_fields=["locked_until"])
    detail = f"各地址合计连续 {settings.WANGGE_ACCOUNT_LOCKOUT_FAILURES} 次登录失败，对所有地址锁定（已启用动态口令者仍可凭密码和动态口令登录）"
    audit_record(action="auth.locked", result=AuditRecord.Result.DENIED, obj=user, after={"address": None, "locked_until": user.locked_until.isoformat()}, detail=detail, address=address)


@transaction.atomic
def signin_failed(*, username: str, address: str | None, reason: str, refused: bool = False, action: str = LOGIN) -> bool:
    """Store and audit (as `action`) a failed or refused attempt; lock the account on the last
    allowed failure. True when the account is (now) locked for this address."""
    LoginAttempt.objects.create(username=username[:150], address=address, succeeded=False, refused=refused)
    user = User.objects.select_for_update().filter(username=username).first()
    result = AuditRecord.Result.DENIED if refused else AuditRecord.Result.FAILED
    detail = f"用户名 {username[:60]}：{reason}"
    audit_record(action=action, result=result, object_type="accounts.user", object_id=str(user.pk) if user else "", detail=detail, address=address)
    if user is None:
        return False
    if not refused:
        _lock_address(user, address)
        _lock_everywhere(user, address)
    return account_locked(user, address)


@transaction.atomic
def signin_succeeded(*, user: User, address: str | None) -> None:
    LoginAttempt.objects.create(username=user.username, address=address, succeeded=True)
    audit_record(action=LOGIN, obj=user, user=user, address=address)


def locks_clear(*, user: User) -> None:
    """No lock holds for `user` any more, and earlier failures no longer count towards one.
    The caller saves `user` (`locked_until`, `failures_counted_from`) and audits."""
    user.locked_until, user.failures_counted_from = None, timezone.now()
    AddressLock.objects.filter(user=user).delete()
