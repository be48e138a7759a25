"""The cases' figures for the dashboards' map and charts, within a data scope.

Counts, never means: the map adds a grid's parts up the grid tree and divides only at the end,
so an on-time rate of a subdistrict is its on-time closed cases over its closed cases.
Merged duplicates are parts of another case and are not counted (as in figures.py).
"""

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from wangge.geo.scope import Scope

from . import summaries
from .figures import RECENT_DAYS
from .models import Case, CaseMonth, Category, Department
from .workflow import OPEN

S = Case.Status
CHART_MONTHS = 12


def counted_cases(scope: Scope) -> QuerySet[Case]:
    return Case.objects.filter(scope.q("grid_code"), duplicate_of__isnull=True).order_by()


def open_cases_by_grid(scope: Scope) -> dict[str, tuple[int]]:
    rows = counted_cases(scope).filter(status__in=OPEN).values_list("grid_code").annotate(n=Count("*"))
    return {code: (n,) for code, n in rows}


def on_time_by_grid(scope: Scope) -> dict[str, tuple[int, int]]:
    """(closed on time, closed) per grid over the headline's window, so that the map's
    district total equals the headline's on-time rate."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    rows = (
        counted_cases(scope).filter(status=S.CLOSED, closed_at__gte=since)
        .values_list("grid_code").annotate(on_time=Count("on_time", filter=Q(on_time=True)), closed=Count("*"))
    )
    return {code: (on_time, closed) for code, on_time, closed in rows}


def chart_start(now: datetime | None = None) -> datetime:
    """The first day of the month CHART_MONTHS - 1 months back, local time: the charts' window."""
    local = timezone.localtime(now or timezone.now())
    year, month = local.year, local.month - (CHART_MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return local.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def _months(scope: Scope, basis: str) -> QuerySet[CaseMonth]:
    """The summary's rows of the charts' window (whole local months, as the window is)."""
    return CaseMonth.objects.filter(scope.q("grid_code"), basis=basis, month__gte=chart_start().date()).order_by()


def _summed(summed: bool | None) -> bool:
    """Whether to add up the summaries (`summed`, or where they are kept) or count the cases."""
    return summaries.in_use() if summed is None else summed


def cases_by_category(scope: Scope, *, summed: bool | None = None) -> list[list]:
    """[category, cases, open] for cases reported in the charts' window, most cases first."""
    if _summed(summed):
        names = dict(Category.objects.values_list("pk", "name"))
        rows = _months(scope, "r").values_list("category_id").annotate(total=Sum("n"), still_open=Sum("open"))
        named = {}
        for pk, n, n_open in rows:  # two categories may share a name, as in the GROUP BY name below
            total = named.setdefault(names.get(pk, ""), [0, 0])
            total[0], total[1] = total[0] + n, total[1] + (n_open or 0)
        rows = [(name, n, n_open) for name, (n, n_open) in named.items() if n]
    else:
        rows = (
            counted_cases(scope).filter(reported_at__gte=chart_start())
            .values_list("category__name").annotate(n=Count("*"), open=Count("status", filter=Q(status__in=OPEN)))
        )
    return sorted(([name, n, n_open] for name, n, n_open in rows), key=lambda r: (-r[1], r[0]))


def month_starts(start: datetime) -> list[datetime]:
    """The first instants of CHART_MONTHS local months from `start`, and of the month after."""
    starts, year, month = [], start.year, start.month
    for _ in range(CHART_MONTHS + 1):
        starts.append(start.replace(year=year, month=month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [timezone.make_aware(s.replace(tzinfo=None)) for s in starts]


def cases_by_month(scope: Scope, *, summed: bool | None = None) -> list[list]:
    """[month, reported, closed] for each month of the window, months without cases included.
    One query of range counts rather than a per-row month truncation, which SQLite computes
    in Python for every case."""
    bounds = month_starts(chart_start())
    if _summed(summed):
        return _cases_by_month_summed(scope, bounds)
    counts = {}
    for i, (first, after) in enumerate(zip(bounds, bounds[1:], strict=False)):
        counts[f"r{i}"] = Count("status", filter=Q(reported_at__gte=first, reported_at__lt=after))
        counts[f"c{i}"] = Count("status", filter=Q(status=S.CLOSED, closed_at__gte=first, closed_at__lt=after))
    row = counted_cases(scope).filter(Q(reported_at__gte=bounds[0]) | Q(closed_at__gte=bounds[0])).aggregate(**counts)
    return [[f"{first:%Y-%m}", row[f"r{i}"], row[f"c{i}"]] for i, first in enumerate(bounds[:-1])]


def _cases_by_month_summed(scope: Scope, bounds: list[datetime]) -> list[list]:
    months = [timezone.localtime(first).date() for first in bounds[:-1]]
    reported = dict(_months(scope, "r").filter(month__lte=months[-1]).values_list("month").annotate(total=Sum("n")))
    closed = dict(_months(scope, "c").filter(month__lte=months[-1]).values_list("month").annotate(total=Sum("n")))
    return [[f"{month:%Y-%m}", reported.get(month, 0), closed.get(month, 0)] for month in months]


def month_partial(now: datetime | None = None) -> dict:
    """The window's last month is the current one, counted up to today: the charts say so."""
    today = timezone.localtime(now or timezone.now()).date()
    return {"row": CHART_MONTHS - 1, "through": today.isoformat(), "label": f"本月（截至 {today.day} 日）"}


def on_time_by_department(scope: Scope, *, summed: bool | None = None) -> list[list]:
    """[department, closed, closed on time, on-time rate] for cases closed in the window."""
    if _summed(summed):
        names = dict(Department.objects.values_list("pk", "name"))
        summed = _months(scope, "c").exclude(department_id=0).values_list("department_id").annotate(
            closed=Sum("n"), closed_on_time=Sum("on_time"))
        rows = [(names[pk], closed, on_time or 0) for pk, closed, on_time in summed if closed]
    else:
        rows = (
            counted_cases(scope).filter(status=S.CLOSED, closed_at__gte=chart_start(), department__isnull=False)
            .values_list("department__name").annotate(closed=Count("*"), on_time=Count("on_time", filter=Q(on_time=True)))
        )
    table = [[name, closed, on_time, round(on_time / closed, 4) if closed else None] for name, closed, on_time in rows]
    return sorted(table, key=lambda r: (-(r[3] or 0), r[0]))


def open_case_list(scope: Scope) -> QuerySet[Case]:
    return counted_cases(scope).filter(status__in=OPEN).select_related("category", "department").order_by("-reported_at", "-pk")


def recently_closed_list(scope: Scope) -> QuerySet[Case]:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    cases = counted_cases(scope).filter(status=S.CLOSED, closed_at__gte=since)
    return cases.select_related("category", "department").order_by("-closed_at", "-pk")


def open_case_points(scope: Scope, grid_codes: set[str] | None, limit: int) -> list[dict]:
    """Open cases' locations (no reporter, no address), newest first, at most `limit`."""
    cases = counted_cases(scope).filter(status__in=OPEN)
    if grid_codes is not None:
        cases = cases.filter(grid_code__in=grid_codes)
    rows = cases.order_by("-reported_at", "-pk").values_list("pk", "number", "category__name", "status", "lon", "lat", "grid_code")[:limit]
    return [
        {"id": pk, "number": number, "category": category, "status": status, "status_label": S(status).label, "lon": lon, "lat": lat, "grid_code": code}
        for pk, number, category, status, lon, lat, code in rows
    ]
