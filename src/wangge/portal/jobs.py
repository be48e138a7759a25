"""The portal's share of each worker round: published pages re-checked against their sealed
digests when due, and who viewed what forgotten after a day."""

from django.utils import timezone

from wangge.core.jobs import job

from .verify import verify_if_due
from .visits import article_views_purge


@job("portal.verify", order=40)
def verify(now) -> None:
    verify_if_due(now=now)


@job("portal.visits_purge", order=50)
def forget_visits(now) -> int:
    return article_views_purge(today=timezone.localdate(now))
