"""Counting an article's views: once per visitor per day, however many requests arrive at once.

The visitor is a random first-party cookie; only its HMAC digest is stored (ArticleView), so the
table holds neither the cookie nor an address. A browser that refuses cookies gets a new one on
each visit and so counts each time. The unique index (article, visitor, day) decides: the insert
that wins counts, every other one for that key fails on the index and counts nothing.
"""

import re
import secrets
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from .models import Article, ArticleView

VISITOR_COOKIE = "wg_vid"
VISITOR_COOKIE_AGE = 365 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def visitor_token(cookie: str | None) -> tuple[str, bool]:
    """(token, new): the visitor's token from the cookie, or a new one if it has none or a
    malformed one."""
    if cookie and _TOKEN.match(cookie):
        return cookie, False
    return secrets.token_urlsafe(24), True


def visitor_digest(token: str) -> str:
    return salted_hmac("wangge.portal.visitor", token, algorithm="sha256").hexdigest()


def article_view_record(*, article_id: int, visitor: str, day: date) -> int:
    """Count the view if this visitor has not been counted on this article today; the
    article's count afterwards."""
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the refused insert leaves the rest intact
                ArticleView.objects.create(article_id=article_id, visitor=visitor, day=day)
        except IntegrityError:
            pass  # counted already, maybe by a request still in flight
        else:
            # F(): the increment happens in the database, so concurrent counts are not lost.
            Article.objects.filter(pk=article_id).update(views=F("views") + 1)
    return article_views(article_id)


def article_views(article_id: int) -> int:
    return Article.objects.filter(pk=article_id).values_list("views", flat=True).first() or 0


def article_views_purge(*, today: date) -> int:
    """Forget who viewed what before yesterday (the counts stay on the articles); returns how
    many rows went. Yesterday is kept so that a visit across midnight counts once."""
    return ArticleView.objects.filter(day__lt=today - timedelta(days=1)).delete()[0]
