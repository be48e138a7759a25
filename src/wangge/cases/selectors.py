"""Reads of cases, always through the data scope, and the closed loop's figures."""

from collections import defaultdict
from statistics import mean

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from wangge.accounts.scope import scope_of

from .models import Case, CaseTransition

S = Case.Status


def case_list(user) -> QuerySet[Case]:
    """Cases in the user's scope, cases dispatched to a department they handle, and their own reports."""
    visible = scope_of(user).q("grid_code")
    if user.is_authenticated and user.is_active:
        visible |= Q(department__handlers=user) | Q(reporter=user)
    return Case.objects.filter(pk__in=Case.objects.filter(visible).values("pk"))


def case_get(user, case_id: int) -> Case:
    return get_object_or_404(case_list(user).select_related("category", "department", "reporter", "duplicate_of"), pk=case_id)


def case_public_list() -> QuerySet[Case]:
    """Every case, for the public Open311 reads: by design they are not scoped to a user, so the
    caller must show only public fields (never the reporter, the address or the grid)."""
    return Case.objects.select_related("category", "department", "duplicate_of")


def case_timeline(case: Case) -> QuerySet[CaseTransition]:
    return case.transitions.select_related("actor").order_by("at", "pk")


def _on_time(moves: list[tuple]) -> bool:
    """Every stage was left by the deadline it was given (a stage without one cannot be late)."""
    return all(deadline is None or left_at <= deadline for (_, _, _, deadline), (_, _, left_at, _) in zip(moves, moves[1:], strict=False))


def _summary(cases: list[Case], moves: dict[int, list[tuple]]) -> dict:
    closed = [c for c in cases if c.status == S.CLOSED]
    ever_closed = [c for c in cases if any(to == S.CLOSED for _, to, _, _ in moves[c.pk])]
    reopened = [c for c in ever_closed if any(f == S.CLOSED and to == S.ACCEPTED for f, to, _, _ in moves[c.pk])]
    ratings = [c.rating for c in closed if c.rating is not None]
    hours = [(c.closed_at - c.reported_at).total_seconds() / 3600 for c in closed if c.closed_at]
    return {
        "cases": len(cases),
        "open": len(cases) - len(closed) - sum(c.status == S.REJECTED for c in cases),
        "closed": len(closed),
        "on_time_rate": round(sum(_on_time(moves[c.pk]) for c in closed) / len(closed), 4) if closed else None,
        "mean_hours_to_close": round(mean(hours), 2) if hours else None,
        "reopen_rate": round(len(reopened) / len(ever_closed), 4) if ever_closed else None,
        "mean_satisfaction": round(mean(ratings), 2) if ratings else None,
        "ratings": len(ratings),
    }


def _moves_of(cases: QuerySet[Case]) -> dict[int, list[tuple]]:
    moves: dict[int, list[tuple]] = defaultdict(list)
    rows = CaseTransition.objects.filter(case__in=cases.values("pk")).order_by("case_id", "at", "pk")
    for case_id, *move in rows.values_list("case_id", "from_status", "to_status", "at", "deadline_at"):
        moves[case_id].append(tuple(move))
    return moves


def on_time_rate(cases: QuerySet[Case]) -> float | None:
    """The share of these cases whose every stage was left by its deadline (None for no cases)."""
    moves = _moves_of(cases)
    ids = list(cases.values_list("pk", flat=True))
    return round(sum(_on_time(moves[pk]) for pk in ids) / len(ids), 4) if ids else None


def case_figures(user) -> dict:
    """Per grid and per department: on-time rate, mean hours to close, reopen rate, mean
    satisfaction, computed from the transitions and the deadlines they recorded. Merged
    duplicates are not cases of their own and are left out."""
    scoped = case_list(user).filter(duplicate_of__isnull=True)
    cases = list(scoped.select_related("department").order_by("pk"))
    moves = _moves_of(scoped)
    by_grid, by_department = defaultdict(list), defaultdict(list)
    for case in cases:
        by_grid[case.grid_code].append(case)
        if case.department_id:
            by_department[(case.department.code, case.department.name)].append(case)
    return {
        "grids": [{"grid_code": code, **_summary(group, moves)} for code, group in sorted(by_grid.items())],
        "departments": [{"department_code": code, "department_name": name, **_summary(group, moves)} for (code, name), group in sorted(by_department.items())],
    }
