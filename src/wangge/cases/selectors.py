"""Reads of cases, always through the data scope, and the closed loop's figures."""

import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, DurationField, F, Q, QuerySet, Sum, Value, When
from django.shortcuts import get_object_or_404

from wangge.core.contacts import MOBILE
from wangge.geo.locator import grid_at
from wangge.geo.scope import scope_of
from wangge.geo.selectors import basic_grid_name
from wangge.people.selectors.persons import accounts_with_mobile

from . import summaries
from .models import Case, CaseTally, CaseTransition, Category, Department
from .reference import reference
from .workflow import OPEN

S = Case.Status


def category_by_code(code: str) -> Category | None:
    """The category with this code, from this process's copy of the list (`reference.py`):
    every report asks."""
    return reference("categories", lambda: {c.code: c for c in Category.objects.all()}).get(code)


def grid_at_point(lon: float, lat: float) -> dict | None:
    """The level-3 grid a report at this point would be filed under (code and name), or None
    outside the district: the locator's answer, which `services.case_report` also obeys."""
    code = grid_at(lon, lat)
    if code is None:
        return None
    return {"code": code, "name": basic_grid_name(code) or code}


def _beyond_scope(user) -> Q | None:
    """The cases a user sees outside their scope: those dispatched to a department they handle
    (a subquery, not a join, so that a case with two handlers is still one row) and their own
    reports."""
    if not (user.is_authenticated and user.is_active):
        return None
    return Q(department_id__in=Department.objects.filter(handlers=user).values("pk")) | Q(reporter=user)


def case_list(user) -> QuerySet[Case]:
    """Cases in the user's scope, cases dispatched to a department they handle, and their own
    reports: one filter on the case table, so that the newest of ten million cases are a walk
    down the report-time index, not a semi-join over all of them."""
    visible = scope_of(user).q("grid_code")
    if (beyond := _beyond_scope(user)) is not None:
        visible |= beyond
    return Case.objects.filter(visible)


def case_list_count(user, *, status: str = "", grid: str = "", category: Category | None = None) -> int:
    """How many cases `case_list(user)` holds with these filters. On PostgreSQL the scope's
    part is added up from the summary (`CaseTally`) rather than counted over millions of cases;
    the cases beyond the scope are counted directly."""
    filters = {key: value for key, value in {"status": status, "grid_code": grid, "category_id": category and category.pk}.items() if value}
    if not summaries.in_use():
        return case_list(user).filter(**filters).count()
    in_scope = scope_of(user).q("grid_code")
    total = CaseTally.objects.filter(in_scope, family="l", **filters).aggregate(total=Sum("n", default=0))["total"]
    if user.is_authenticated and user.is_active:
        # The departments as a list, not a subquery, so that PostgreSQL ORs two index scans
        # (reporter, department) instead of reading every case.
        beyond = Q(reporter=user)
        if departments := list(user.departments.values_list("pk", flat=True)):
            beyond |= Q(department_id__in=departments)
        total += Case.objects.filter(beyond, **filters).exclude(in_scope).count()
    return total


# The queues' and the list's search box and order: one place for their rules and their names.
SEARCH_MAX = 60
SORTS = {"urgency": "最紧急在前", "newest": "同一状态内最新在前", "oldest": "同一状态内最早在前"}
_RECEIPT = re.compile(r"^SJ\d{1,14}$")


def search_checked(q: str | None, sort: str | None, *, default_sort: str) -> tuple[str, str]:
    """The search words and the order as asked, or a ValidationError naming `q` or `sort`."""
    q = " ".join((q or "").split())
    if len(q) > SEARCH_MAX:
        raise ValidationError({"q": f"搜索词不能超过 {SEARCH_MAX} 个字"})
    sort = (sort or "").strip() or default_sort
    if sort not in SORTS:
        known = "、".join(f"{key}（{label}）" for key, label in SORTS.items())
        raise ValidationError({"sort": f"未知的排序：{sort[:20]}；应为以下之一：{known}"})
    return q, sort


def case_search(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    """Narrow `cases` (already the caller's, through `case_list`) by what was typed: a receipt
    number or its beginning (SJ2026...), a whole mobile (the reporter's registered mobile,
    matched exactly), or words that each appear in the address or the reporter's name.
    Nothing outside `cases` is read, so a search never finds what the caller may not see."""
    if not q:
        return cases
    if _RECEIPT.match(q.upper()):
        return cases.filter(number__startswith=q.upper())
    if MOBILE.match(q):
        reporters = cases.exclude(reporter__isnull=True).order_by().values("reporter_id").distinct()
        return cases.filter(reporter_id__in=accounts_with_mobile(q, reporters))
    for word in q.split():
        cases = cases.filter(Q(address__icontains=word) | Q(reporter__full_name__icontains=word))
    return cases


def by_urgency(cases: QuerySet[Case], now: datetime) -> QuerySet[Case]:
    """Overdue first (the longest overdue at the top), then by deadline; no deadline last."""
    overdue = models.Case(When(deadline_at__lt=now, then=Value(0)), default=Value(1), output_field=models.IntegerField())
    return cases.annotate(overdue_rank=overdue).order_by("overdue_rank", F("deadline_at").asc(nulls_last=True), "reported_at", "pk")


def case_sorted(cases: QuerySet[Case], sort: str, now: datetime) -> QuerySet[Case]:
    """`cases` in one of `SORTS`: by urgency, or by status in the loop's order and within a
    status the newest (or oldest) report first."""
    if sort == "urgency":
        return by_urgency(cases, now)
    stage = models.Case(*(When(status=s, then=Value(i)) for i, s in enumerate(S.values)), output_field=models.IntegerField())
    newest = sort == "newest"
    return cases.annotate(stage=stage).order_by("stage", "-reported_at" if newest else "reported_at", "-pk" if newest else "pk")


def case_get(user, case_id: int) -> Case:
    return get_object_or_404(case_list(user).select_related("category", "department", "reporter", "duplicate_of"), pk=case_id)


def case_readable(user, case_id: int | None) -> bool:
    """Whether `user` may read the case `case_id` (a merged duplicate's target, say)."""
    return case_id is not None and case_list(user).filter(pk=case_id).exists()


def case_timeline(case: Case) -> QuerySet[CaseTransition]:
    return case.transitions.select_related("actor").order_by("at", "pk")


def _figure_columns() -> dict:
    """One aggregate per figure, so that a whole table of figures is one GROUP BY query. Sums
    and counts rather than means, so that two disjoint parts add up (see case_figures); only
    columns of the index `case_figures_cover` are read, so the index alone answers.

    Open and closed are the status now; a case is "ever closed" when it is closed now or was
    reopened (a reopen moves closed → accepted, so reopen_count > 0 means it was closed once).
    """
    closed = Q(status=S.CLOSED)
    rated = closed & Q(rating__isnull=False)
    return {
        "cases": Count("status"),
        "open": Count("status", filter=Q(status__in=OPEN)),
        "closed": Count("status", filter=closed),
        "on_time": Count("status", filter=closed & Q(on_time=True)),
        "to_close": Sum(F("closed_at") - F("reported_at"), filter=closed & Q(closed_at__isnull=False), output_field=DurationField()),
        "to_close_n": Count("closed_at", filter=closed),
        "ever_closed": Count("status", filter=closed | Q(reopen_count__gt=0)),
        "reopened": Count("status", filter=Q(reopen_count__gt=0)),
        "satisfaction": Sum("rating", filter=rated),
        "ratings": Count("rating", filter=rated),
    }


def _summary(row: dict) -> dict:
    def share(part, whole) -> float | None:
        return round(part / whole, 4) if whole else None

    return {
        "cases": row["cases"],
        "open": row["open"],
        "closed": row["closed"],
        "on_time_rate": share(row["on_time"], row["closed"]),
        "mean_hours_to_close": round(_hours(row["to_close"]) / row["to_close_n"], 2) if row["to_close_n"] else None,
        "reopen_rate": share(row["reopened"], row["ever_closed"]),
        "mean_satisfaction": round(row["satisfaction"] / row["ratings"], 2) if row["ratings"] else None,
        "ratings": row["ratings"],
    }


def _hours(duration) -> float:
    # A sum of durations is a timedelta on PostgreSQL; SQLite may hand back microseconds.
    return duration.total_seconds() / 3600 if isinstance(duration, timedelta) else float(duration or 0) / 3_600_000_000


def _add(rows: dict, key, row: dict) -> None:
    if key not in rows:
        rows[key] = row
        return
    for name, value in row.items():
        if value is not None:
            rows[key][name] = value if rows[key][name] is None else rows[key][name] + value


def _figure_parts(user) -> list[QuerySet[Case]]:
    """What case_list shows the user, as disjoint parts: the scope (a prefix range of the cover
    index), and apart from it the cases of their departments and their own reports. An OR of
    the three would read the table; a join with the handlers would count a case per handler."""
    cases = Case.objects.filter(duplicate_of__isnull=True).order_by()  # merged duplicates are parts of another case
    in_scope = scope_of(user).q("grid_code")
    parts = [cases.filter(in_scope)]
    if user.is_authenticated and user.is_active:
        beyond = Q(reporter=user)
        if departments := list(user.departments.values_list("pk", flat=True)):
            beyond |= Q(department_id__in=departments)
        parts.append(cases.filter(beyond).exclude(in_scope))
    return parts


def _tally_figures(user, grids: dict, departments: dict) -> None:
    """The scope's figures added up from the summary `CaseTally` (families "g" per grid and "d"
    per grid and department), which PostgreSQL keeps: a few thousand rows for a district."""
    tally = CaseTally.objects.filter(scope_of(user).q("grid_code")).order_by()
    sums = {f"sum_{m}": Sum(m) for m in summaries.TALLY_MEASURES}  # named apart from the columns
    for row in tally.filter(family="g").values("grid_code").annotate(**sums):
        if row["sum_n"]:
            _add(grids, row["grid_code"], _from_tally(row))
    named = {pk: (code, name) for pk, code, name in Department.objects.values_list("pk", "code", "name")}
    for row in tally.filter(family="d").values("department_id").annotate(**sums):
        if row["sum_n"]:
            _add(departments, named[row["department_id"]], _from_tally(row))


def _from_tally(row: dict) -> dict:
    """A summary row in the shape of `_figure_columns`' row."""
    return {
        "cases": row["sum_n"], "open": row["sum_open"], "closed": row["sum_closed"], "on_time": row["sum_on_time"],
        "to_close": timedelta(microseconds=row["sum_to_close_us"]), "to_close_n": row["sum_to_close_n"],
        "ever_closed": row["sum_ever_closed"], "reopened": row["sum_reopened"], "satisfaction": row["sum_rating_sum"], "ratings": row["sum_ratings"],
    }


def case_figures(user, *, summed: bool | None = None) -> dict:
    """Per grid and per department: cases, open, closed, on-time rate, mean hours to close,
    reopen rate, mean satisfaction and ratings; GROUP BY queries over the cases' `on_time` and
    `reopen_count`, which the closed loop keeps at each close and reopen. On PostgreSQL the
    scope's part is added up from the summary `CaseTally` (the same figures, proven equal in
    tests/cases/test_summaries.py), the few cases beyond the scope counted directly."""
    columns, grids, departments = _figure_columns(), {}, {}
    parts = _figure_parts(user)
    if summaries.in_use() if summed is None else summed:
        _tally_figures(user, grids, departments)
        parts = parts[1:]
    for part in parts:
        for row in part.values("grid_code").annotate(**columns):
            _add(grids, row.pop("grid_code"), row)
        for row in part.filter(department__isnull=False).values("department__code", "department__name").annotate(**columns):
            _add(departments, (row.pop("department__code"), row.pop("department__name")), row)
    return {
        "grids": [{"grid_code": code, **_summary(row)} for code, row in sorted(grids.items())],
        "departments": [{"department_code": code, "department_name": name, **_summary(row)} for (code, name), row in sorted(departments.items())],
    }
