"""Session policy: idle and absolute timeouts, and an expired password changed before anything
else (GB/T 22239-2019 8.1.4.1 a) periodic change, c) session timeout on inactivity)."""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse

from .passwords import password_expired

SINCE = "wangge.signed_in_at"
SEEN = "wangge.seen_at"
SEEN_WRITE_EVERY_S = 30  # the idle clock need not be exact to the second; spares a write per request
PASSWORD_PAGE = "/account/password"
EXPIRED_DETAIL = "密码已过期或为初始密码，请先在网页上修改密码"
# What a user with an expired password may still reach: the change itself and signing out.
OPEN_WHILE_EXPIRED = (PASSWORD_PAGE, "/logout", "/static/", "/login")


def session_start(request) -> None:
    now = int(time.time())
    request.session[SINCE] = request.session[SEEN] = now


def _timed_out(session, now: int) -> bool:
    since, seen = session.get(SINCE), session.get(SEEN)
    if since is None or seen is None:
        return False
    return now - seen > settings.WANGGE_SESSION_IDLE_MINUTES * 60 or now - since > settings.WANGGE_SESSION_MAX_HOURS * 3600


class SessionPolicy:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if _timed_out(request.session, now):
                logout(request)
                messages.info(request, "长时间未操作或登录已超过时限，请重新登录")
            else:
                if SINCE not in request.session:
                    session_start(request)  # a session begun elsewhere (a test's force_login)
                elif now - request.session[SEEN] >= SEEN_WRITE_EVERY_S:
                    request.session[SEEN] = now
                if password_expired(user) and not request.path.startswith(OPEN_WHILE_EXPIRED):
                    return self._to_password_page(request)
        return self.get_response(request)

    @staticmethod
    def _to_password_page(request):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": EXPIRED_DETAIL, "errors": []}, status=403)
        return HttpResponseRedirect(f"{PASSWORD_PAGE}?next={quote(request.get_full_path())}")
