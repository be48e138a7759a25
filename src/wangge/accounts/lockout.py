"""Sign-in attempts and lockout (GB/T 22239-2019 8.1.4.1 b): limit failed sign-ins, lock).

Two limits, both read from `LoginAttempt`: an account is locked for WANGGE_LOCKOUT_MINUTES
after WANGGE_LOCKOUT_FAILURES consecutive failures (password or code), and a source address
is refused while it has WANGGE_ADDRESS_FAILURES failures within WANGGE_ADDRESS_WINDOW_MINUTES,
so that one machine cannot walk through many accounts. A refused attempt is not checked at
all: the password is never compared while a lock holds. Every attempt is stored and audited;
the password never is.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .audit import audit_record
from .models import AuditRecord, LoginAttempt, User

LOGIN = "auth.login"


def _user_named(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def signin_refusal(*, username: str, address: str | None) -> str | None:
    """Why this attempt is refused before any password is looked at, or None."""
    now = timezone.now()
    if address:
        window = now - timedelta(minutes=settings.WANGGE_ADDRESS_WINDOW_MINUTES)
        failures = LoginAttempt.objects.filter(address=address, succeeded=False, at__gte=window).count()
        if failures >= settings.WANGGE_ADDRESS_FAILURES:
            return f"该地址登录失败次数过多，请 {settings.WANGGE_ADDRESS_WINDOW_MINUTES} 分钟后再试"
    user = _user_named(username)
    if user is not None and user.locked_until and user.locked_until > now:
        until = timezone.localtime(user.locked_until)
        return f"账号因连续登录失败已被锁定，请于 {until:%H:%M} 后再试，或联系系统管理员解锁"
    return None


def _consecutive_failures(user: User) -> int:
    """Failures since the last success and since the last lock ran out."""
    last_success = LoginAttempt.objects.filter(username=user.username, succeeded=True).aggregate(at=Max("at"))["at"]
    since = max(filter(None, [last_success, user.locked_until]), default=None)
    failures = LoginAttempt.objects.filter(username=user.username, succeeded=False)
    return (failures.filter(at__gt=since) if since else failures).count()


@transaction.atomic
def signin_failed(*, username: str, address: str | None, reason: str, refused: bool = False) -> bool:
    """Store and audit a failed or refused attempt; lock the account on the last allowed
    failure. True when the account is (now) locked."""
    LoginAttempt.objects.create(username=username[:150], address=address, succeeded=False)
    user = User.objects.select_for_update().filter(username=username).first()
    result = AuditRecord.Result.DENIED if refused else AuditRecord.Result.FAILED
    detail = f"用户名 {username[:60]}：{reason}"
    audit_record(action=LOGIN, result=result, object_type="accounts.user", object_id=str(user.pk) if user else "", detail=detail, address=address)
    if user is None or refused:
        return bool(user and user.locked_until and user.locked_until > timezone.now())
    if _consecutive_failures(user) >= settings.WANGGE_LOCKOUT_FAILURES:
        user.locked_until = timezone.now() + timedelta(minutes=settings.WANGGE_LOCKOUT_MINUTES)
        user.save(update_fields=["locked_until"])
        audit_record(action="auth.locked", result=AuditRecord.Result.DENIED, obj=user, after={"locked_until": user.locked_until.isoformat()}, detail=f"连续 {settings.WANGGE_LOCKOUT_FAILURES} 次登录失败", address=address)
        return True
    return False


@transaction.atomic
def signin_succeeded(*, user: User, address: str | None) -> None:
    LoginAttempt.objects.create(username=user.username, address=address, succeeded=True)
    audit_record(action=LOGIN, obj=user, user=user, address=address)
