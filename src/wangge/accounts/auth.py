"""API authentication: a session (with CSRF) or a bearer token from `wangge token`.

A token works until it expires (`WANGGE_TOKEN_DAYS` after it was issued) or is revoked: by its
owner (`/api/account/tokens`), by any reset of the owner's password or second factor, by a
password change and when the account is disabled (`services`)."""

import secrets
from datetime import UTC, timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from wangge.core import rows
from wangge.core.errors import ApiError

from .middleware import EXPIRED_DETAIL
from .models import ApiToken, User
from .models.users import token_expiry
from .passwords import password_expired

LAST_USED_PRECISION = timedelta(minutes=1)


# The user and the token's last use and expiry in one query, written out (`wangge.core.rows`): the ORM's
# compiling of a join cost more than running it, and every API request asks this.
_TOKEN_USER = (
    f"SELECT {rows.columns(User, 'u')}, t.id, t.last_used_at, t.expires_at FROM {User._meta.db_table} u "  # noqa: S608 - table names
    f"JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id WHERE t.digest = %s"
)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = rows.select(User, _TOKEN_USER, [ApiToken.digest_of(token)])
        if not found:
            return None
        user, (token_id, last_used, expires_at) = found[0]
        if not user.is_active:
            return None
        now = timezone.now()
        if _aware(expires_at) <= now:
            return None
        if password_expired(user):
            raise ApiError(403, EXPIRED_DETAIL)
        last_used = _aware(last_used)
        if last_used is None or now - last_used >= LAST_USED_PRECISION:
            # Kept to the minute: a phone sending a burst of reports writes it once.
            ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        request.user = user
        return user


def _aware(value):
    """A time read outside a model field: SQLite gives it without its zone (UTC)."""
    return timezone.make_aware(value, UTC) if value is not None and timezone.is_naive(value) else value


def token_issue(*, user: User) -> str:
    """A new token for `user`; it is returned once and only its digest is kept."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token), expires_at=token_expiry())
    return token


def tokens_of(*, user: User):
    """The user's own tokens, newest first; never another's, never a secret (only digests are kept)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@transaction.atomic
def token_revoke(*, token_id: int, actor: User) -> None:
    """Revoke one of the actor's own tokens; another user's answers as a missing one. The
    deletion is audited like every write (`audit_writes`)."""
    deleted, _ = tokens_of(user=actor).filter(pk=token_id).delete()
    if not deleted:
        raise Http404


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
