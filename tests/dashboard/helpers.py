"""Cases for the dashboard tests: reported ones through the service, closed ones as the closed
loop leaves them (status, close time, timeliness), so that figures have something to count."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from tests.cases.factories import point_in
from wangge.cases.models import Case, Category

_numbers = count(1)


def closed_case(grid, *, on_time: bool, department=None, days_ago: int = 1, category: str = "exposed_garbage") -> Case:
    lon, lat = point_in(grid)
    closed_at = timezone.now() - timedelta(days=days_ago)
    return Case.objects.create(
        number=f"T{next(_numbers):08d}", category=Category.objects.get(code=category), description="测试事件", lon=lon, lat=lat,
        grid_code=grid.code, status=Case.Status.CLOSED, department=department, reported_at=closed_at - timedelta(days=2),
        status_since=closed_at, closed_at=closed_at, on_time=on_time,
    )
