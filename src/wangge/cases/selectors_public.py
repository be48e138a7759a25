"""What anyone may read of cases, without signing in: the Open311 feed (`open311.py`) and the
portal's map of recent reports. The rules of what is public are kept here, once: never the
reporter, the address, the grid or the building; the place rounded to 0.001 degree; the
description masked, or left out where the category is about neighbours.
"""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from wangge.core.pii import mask_free_text

from .models import Case, Category
from .workflow import OPEN

# 0.001 degree: about 110 m north-south and 90 m east-west at Zhengzhou's latitude, a block
# and not a building.
PUBLIC_DECIMALS = 3
# The portal's map: the newest reports of the last month, as many as a phone draws at ease.
RECENT_DAYS = 30
RECENT_LIMIT = 200


def public_point(case: Case) -> tuple[float, float]:
    """(lon, lat) as the public sees them: to about 100 m."""
    return round(case.lon, PUBLIC_DECIMALS), round(case.lat, PUBLIC_DECIMALS)


def public_description(case: Case) -> str:
    """ID numbers, phones, plates and names masked (as in the audit trail); nothing at all for
    social-governance cases (disputes, people in care), which are written about named neighbours."""
    return "" if case.category.kind == Category.Kind.SOCIAL else mask_free_text(case.description)


def case_public_list() -> QuerySet[Case]:
    """Every case, for the public Open311 reads: by design they are not scoped to a user, so the
    caller shows only public fields, through `public_point` and `public_description`."""
    return Case.objects.select_related("category", "department", "duplicate_of")


def recent_reports(now: datetime | None = None) -> list[dict]:
    """The portal's map: the newest RECENT_LIMIT cases reported in the last RECENT_DAYS days,
    without those not accepted (rejected) or merged into another (the other is shown) and
    without social-governance cases (a care visit or a dispute on a map points at a household),
    each with its category, status, day and public point, and nothing else."""
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    cases = (
        Case.objects.filter(reported_at__gte=since, duplicate_of__isnull=True)
        .exclude(status=Case.Status.REJECTED)
        .exclude(category__kind=Category.Kind.SOCIAL)
        .select_related("category")
        .only("status", "reported_at", "lon", "lat", "category__name", "category__kind")
        .order_by("-reported_at", "-pk")[:RECENT_LIMIT]
    )
    shown = []
    for case in cases:
        lon, lat = public_point(case)
        shown.append({
            "category": case.category.name,
            "status": case.get_status_display(),
            "open": case.status in OPEN,
            "date": timezone.localdate(case.reported_at).isoformat(),
            "lon": lon,
            "lat": lat,
        })
    return shown
