"""Stage deadlines (办理时限): working hours per category and status, counted from the moment a
case entered its status."""

from datetime import datetime

from .calendar import add_working_hours
from .models import Case, Category, Deadline
from .reference import reference
from .workflow import OPEN


def deadline_for(case: Case) -> datetime | None:
    """When the case must leave its current status: the Deadline row of its category (or of
    the category's parent) for that status, else the default row; None when the case is
    closed or rejected, or no row applies."""
    if case.status not in OPEN:
        return None
    hours = _hours_for(case)
    if hours is None:
        return None
    return add_working_hours(case.status_since, hours)


def _hours_for(case: Case):
    hours = reference("deadlines", _read_deadlines)
    parent_id = reference("category-parents", _read_parents).get(case.category_id)
    for category_id in (case.category_id, parent_id, None):  # None: the default row
        if (category_id, case.status) in hours:
            return hours[(category_id, case.status)]
    return None


def _read_deadlines() -> dict:
    """(category id or None for the default row, status) -> working hours."""
    return {(c, s): h for c, s, h in Deadline.objects.values_list("category_id", "status", "working_hours")}


def _read_parents() -> dict:
    return dict(Category.objects.values_list("pk", "parent_id"))


def stages_on_time(moves) -> bool:
    """Every stage was left by the deadline it was given: `moves` are (at, deadline_at) pairs
    in order, each the start of a stage; a stage without a deadline cannot be late."""
    moves = list(moves)
    return all(deadline is None or left_at <= deadline for (_, deadline), (left_at, _) in zip(moves, moves[1:], strict=False))


def case_deadline_refresh(*, case: Case) -> Case:
    """Set `deadline_at` for the status the case has just entered (`status_since` is its start)."""
    case.deadline_at = deadline_for(case)
    case.save(update_fields=["deadline_at"])
    return case
