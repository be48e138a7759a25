"""The cases' share of the headline figures, computed from the cases at request time.

Two queries, each answered from a partial index of migration 0006 without reading the table:
the open cases by grid code, and the closed cases by close time (with grid code and on_time in
the index), so the figures stay well under a second over ten million cases.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import Case
from .workflow import OPEN

RECENT_DAYS = 30


def figures(scope) -> dict:
    # Merged duplicates are parts of another case, not cases of their own.
    cases = Case.objects.filter(scope.q("grid_code"), duplicate_of__isnull=True).order_by()
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = cases.filter(status=Case.Status.CLOSED, closed_at__gte=since).aggregate(
        # Counted over indexed columns only (not COUNT(id)), so the index alone answers.
        closed=Count("*"), on_time=Count("on_time", filter=Q(on_time=True))
    )
    return {
        "cases_open": cases.filter(status__in=OPEN).count(),
        "cases_closed_last_30_days": recent["closed"],
        "on_time_rate": round(recent["on_time"] / recent["closed"], 4) if recent["closed"] else None,
    }
