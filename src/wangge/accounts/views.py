"""Signing in (password, then a TOTP code where required), enrolling a TOTP device, and
changing a password.

A user who needs a second factor is not signed in after the password: the session only holds
a pending sign-in (who, where to go, since when) until the code is given, so nothing behind
the sign-in is reachable with the password alone.
"""

import time

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from wangge.core.audit import client_address
from wangge.core.menu import landing_for

from . import lockout, permissions, services, totp
from .middleware import session_start
from .models import User
from .passwords import password_expired

PENDING = "wangge.pending_sign_in"
PENDING_MAX_S = 300  # the code must follow the password within five minutes
PASSWORD_CHECK = "auth.password_check"


def _landing(user: User) -> str:
    # Each role starts on its work: the menu entry that says it receives the role (`core.menu`);
    # anyone no entry receives starts at the district map.
    return landing_for(user) or reverse("grid-map")


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return ""


def _complete(request, user: User, next_url: str):
    request.session.pop(PENDING, None)
    lockout.signin_succeeded(user=user, address=client_address(request))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    session_start(request)
    return redirect(next_url or _landing(user))


def _pending_user(request) -> tuple[User | None, str]:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_MAX_S:
        request.session.pop(PENDING, None)
        return None, ""
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending["next"]


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.user.is_authenticated:
        return redirect(next_url or _landing(request.user))
    context = {"next": next_url, "username": ""}
    if request.method == "POST":
        username, password = request.POST.get("username", "").strip(), request.POST.get("password", "")
        address = client_address(request)
        context["username"] = username
        refusal = lockout.signin_refusal(username=username, address=address)
        if refusal:
            # An unknown name costs one hash in `authenticate` too: a lock must not answer faster.
            make_password(password)
            lockout.signin_failed(username=username, address=address, reason=refusal, refused=True)
            return render(request, "accounts/sign_in.html", {**context, "error": refusal})
        user = authenticate(request, username=username, password=password)
        if user is None:
            lockout.signin_failed(username=username, address=address, reason="用户名或密码错误")
            return render(request, "accounts/sign_in.html", {**context, "error": lockout.failed_text()})
        if permissions.must_use_totp(user) or lockout.second_factor_confirmed(user):
            request.session.cycle_key()
            request.session[PENDING] = {"user": user.pk, "next": next_url, "at": int(time.time())}
            return redirect("sign-in-code" if lockout.second_factor_confirmed(user) else "totp")
        return _complete(request, user, next_url)
    return render(request, "accounts/sign_in.html", context)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    user, next_url = _pending_user(request)
    if user is None:
        return redirect("login")
    if not lockout.second_factor_confirmed(user):
        return redirect("totp")
    error = None
    if request.method == "POST":
        address = client_address(request)
        refusal = lockout.signin_refusal(username=user.username, address=address)
        if refusal:
            request.session.pop(PENDING, None)
            lockout.signin_failed(username=user.username, address=address, reason=refusal, refused=True)
            return render(request, "accounts/sign_in.html", {"error": refusal, "username": user.username})
        if services.totp_verify(user=user, code=request.POST.get("code", "")):
            return _complete(request, user, next_url)
        if lockout.signin_failed(username=user.username, address=address, reason="动态口令错误或已使用"):
            request.session.pop(PENDING, None)
            return render(request, "accounts/sign_in.html", {"error": lockout.signin_refusal(username=user.username, address=address), "username": user.username})
        error = "动态口令不正确或已使用，请输入验证器上的最新 6 位数字"
    return render(request, "accounts/sign_in_code.html", {"error": error})


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def totp_enrol(request):
    """Enrolment: for a signed-in user, or for a pending sign-in of a user who must have a
    device and has none yet (the first code both confirms the device and completes sign-in)."""
    pending_user, next_url = _pending_user(request)
    user = request.user if request.user.is_authenticated else pending_user
    if user is None:
        return redirect(f"{settings.LOGIN_URL}?next={request.path}")
    if lockout.second_factor_confirmed(user):
        return render(request, "accounts/totp.html", {"enabled": True})
    device = services.totp_begin(user=user)
    error = None
    if request.method == "POST":
        if services.totp_confirm(user=user, code=request.POST.get("code", "")):
            if not request.user.is_authenticated:
                return _complete(request, user, next_url)
            return render(request, "accounts/totp.html", {"enabled": True, "just_enabled": True})
        error = "动态口令不正确，请核对手机时间后输入验证器上的最新 6 位数字"
    uri = totp.provisioning_uri(device.secret, user.username)
    secret = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    return render(request, "accounts/totp.html", {"secret": secret, "qr": totp.qr_data_uri(uri), "error": error, "required": permissions.must_use_totp(user)})


def _current_password_wrong(request, user: User) -> tuple[str | None, bool]:
    """Why the current password is not accepted (or None), and whether the account is now
    locked for this address. Wrong guesses here count towards the sign-in lockout, so that a
    session left open is no way around it."""
    address = client_address(request)
    refusal = lockout.signin_refusal(username=user.username, address=address)
    if refusal:
        locked = lockout.signin_failed(username=user.username, address=address, reason=refusal, refused=True, action=PASSWORD_CHECK)
        return refusal, locked
    if user.check_password(request.POST.get("old_password", "")):
        return None, False
    locked = lockout.signin_failed(username=user.username, address=address, reason="修改密码时当前密码错误", action=PASSWORD_CHECK)
    return "当前密码不正确", locked


@sensitive_post_parameters("old_password", "new_password", "new_password2")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    user = request.user
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    errors: list[str] = []
    if request.method == "POST":
        new = request.POST.get("new_password", "")
        wrong, locked = _current_password_wrong(request, user)
        if locked:
            logout(request)
            error = f"当前密码连续输入错误，已退出登录，账号已被锁定 {settings.WANGGE_LOCKOUT_MINUTES} 分钟；如需帮助请联系系统管理员。"
            return render(request, "accounts/sign_in.html", {"error": error, "username": "", "next": ""})
        if wrong:
            errors.append(wrong)
        elif new != request.POST.get("new_password2", ""):
            errors.append("两次输入的新密码不一致")
        else:
            try:
                services.password_change(user=user, new_password=new, actor=user)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                update_session_auth_hash(request, user)
                return redirect(next_url or _landing(user))
    context = {"errors": errors, "next": next_url, "expired": password_expired(user), "max_age": settings.WANGGE_PASSWORD_MAX_AGE_DAYS}
    return render(request, "accounts/password.html", context)
