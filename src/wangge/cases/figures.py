"""The cases' share of the headline figures, computed from the cases at request time."""

from datetime import timedelta

from django.utils import timezone

from .models import Case
from .selectors import on_time_rate
from .workflow import OPEN

RECENT_DAYS = 30


def figures(scope) -> dict:
    # Merged duplicates are parts of another case, not cases of their own.
    cases = Case.objects.filter(scope.q("grid_code"), duplicate_of__isnull=True)
    recent = cases.filter(status=Case.Status.CLOSED, closed_at__gte=timezone.now() - timedelta(days=RECENT_DAYS))
    return {
        "cases_open": cases.filter(status__in=OPEN).count(),
        "cases_closed_last_30_days": recent.count(),
        "on_time_rate": on_time_rate(recent),
    }
