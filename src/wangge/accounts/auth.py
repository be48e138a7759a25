"""API authentication: a session (with CSRF) or a bearer token from `wangge token`."""

import secrets
from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from wangge.api_errors import ApiError

from .middleware import EXPIRED_DETAIL
from .models import ApiToken, User
from .passwords import password_expired

LAST_USED_PRECISION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        record = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        if record is None or not record.user.is_active:
            return None
        if password_expired(record.user):
            raise ApiError(403, EXPIRED_DETAIL)
        now = timezone.now()
        if record.last_used_at is None or now - record.last_used_at >= LAST_USED_PRECISION:
            # Kept to the minute: a phone sending a burst of reports writes it once.
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


def token_issue(*, user: User) -> str:
    """A new token for `user`; it is returned once and only its digest is kept."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token))
    return token


class SessionOrNothing(SessionAuth):
    """The signed-in session, with its CSRF check; a request without a session is simply
    not authenticated (401), rather than failing the CSRF check (403)."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def anonymous(request):
    """Lets a public endpoint through after the real methods have had their say."""
    return True


API_AUTH = [TokenAuth(), SessionOrNothing()]
OPTIONAL_AUTH = [TokenAuth(), SessionOrNothing(), anonymous]
