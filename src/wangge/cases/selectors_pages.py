"""Reads for the back-office pages of the closed loop: the three queues and a case's page.

Every queue starts from `selectors.case_list`, so the data scope is applied where it always is;
a queue only narrows it further (to the caller's own scope, departments or grid).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet

from wangge.accounts.models import Role
from wangge.core import pii
from wangge.geo.models import Grid
from wangge.geo.scope import scope_of
from wangge.geo.selectors import basic_grids

from . import workflow
from .models import Case, Category, Department, Summons
from .permissions import may_see_staff_names
from .selectors import case_list, case_readable, case_search, case_sorted, case_timeline

S = Case.Status

DISPATCH_STATUSES = (S.REPORTED, S.ACCEPTED, S.VERIFIED)
DEPARTMENT_STATUSES = (S.DISPATCHED, S.HANDLING)
RECENTLY_CLOSED_DAYS = 30
RECENTLY_CLOSED_SHOWN = 20


def dispatch_queue(user, *, category: str = "", grid: str = "", q: str = "") -> QuerySet[Case]:
    """Cases in the official's own scope awaiting the dispatcher, filtered by category, grid and
    the search words (`selectors.case_search`). The status filter is left to the caller, so that
    the counts per status see every status."""
    cases = case_search(case_list(user).filter(scope_of(user).q("grid_code"), status__in=DISPATCH_STATUSES, duplicate_of__isnull=True), q)
    if category:
        cases = cases.filter(category__code=category)
    if grid:
        cases = cases.filter(grid_code=grid)
    return cases.select_related("category", "department")


def status_counts(cases: QuerySet[Case], statuses) -> list[dict]:
    counts = dict(cases.order_by().values_list("status").annotate(n=Count("pk")))
    return [{"status": s, "label": S(s).label, "count": counts.get(s, 0)} for s in statuses]


def department_queue(user, *, q: str = "") -> QuerySet[Case]:
    """Cases dispatched to the departments the user handles, awaiting them, narrowed by the search words."""
    cases = case_search(case_list(user).filter(department__handlers=user, status__in=DEPARTMENT_STATUSES), q)
    return cases.select_related("category", "department")


def summonses_due(user) -> QuerySet[Summons]:
    """Whistles (吹哨) the user's departments have not yet reported in (报到) to, on open cases."""
    return (
        Summons.objects.filter(department__handlers=user, reported_at__isnull=True, escalation__case__status__in=workflow.OPEN)
        .select_related("department", "escalation__case__category")
        .order_by("due_at", "pk")
    )


def grid_cases(user, now: datetime, *, q: str = "", sort: str = "urgency") -> dict[str, list[Case]]:
    """A grid worker's cases in their grid: awaiting verification on site, open, recently closed;
    narrowed by the search words, the first two in the order asked."""
    prefix = scope_of(user).prefix
    if user.role != Role.GRID_WORKER or prefix is None:
        return {"to_verify": [], "open": [], "closed": []}
    cases = case_search(case_list(user).filter(grid_code=prefix, duplicate_of__isnull=True), q).select_related("category", "department")
    since = now - timedelta(days=RECENTLY_CLOSED_DAYS)
    return {
        "to_verify": list(case_sorted(cases.filter(status=S.HANDLED), sort, now)),
        "open": list(case_sorted(cases.filter(status__in=workflow.OPEN).exclude(status=S.HANDLED), sort, now)),
        "closed": list(cases.filter(status__in=(S.CLOSED, S.REJECTED), status_since__gte=since).order_by("-status_since", "-pk")[:RECENTLY_CLOSED_SHOWN]),
    }


def dispatch_grids(user) -> QuerySet[Grid]:
    return basic_grids(scope_of(user)).order_by("code")


def active_categories() -> QuerySet[Category]:
    return Category.objects.active().order_by("kind", "order", "code")


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(active=True).order_by("code")


def overdue_text(deadline: datetime | None, now: datetime) -> str:
    """"超时 2 天 3 小时" for a passed deadline, "" otherwise."""
    if deadline is None or deadline >= now:
        return ""
    minutes = int((now - deadline).total_seconds() // 60)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return f"超时 {days} 天 {hours} 小时"
    return f"超时 {hours} 小时 {mins} 分" if hours else f"超时 {mins} 分"


def shown_user(user, *, named: bool = True) -> str:
    """Staff act in a public role and are named with it to those who work the case; to anyone
    else (`named=False`: the reporter, a resident) by their role and a masked name. A
    resident's name is always masked (PIPL)."""
    if user is None:
        return "系统"
    name = user.full_name or user.username
    if user.role in (Role.RESIDENT, ""):
        return f"居民 {pii.mask_name(name)}"
    if not named:
        return f"{Role(user.role).label} {pii.mask_name(name)}"
    return f"{name}（{Role(user.role).label}）"


@dataclass(frozen=True)
class Reading:
    """What one reader may see of a case's people and of the case it was merged into."""

    names: bool  # staff named in full
    merged_into: bool  # the number of the case it was merged into


def case_reading(user, case: Case) -> Reading:
    return Reading(may_see_staff_names(user, case), case_readable(user, case.duplicate_of_id))


def move_reason(reason: str, case: Case, reading: Reading) -> str:
    """A move's reason as this reader may read it: the merged-into case's number only to those
    who may read that case, and free text masked for those who do not work this one."""
    if case.duplicate_of_id and not reading.merged_into:
        number = case.duplicate_of.number
        reason = reason.replace(f"合并到 {number}", workflow.MERGED).replace(number, "另一事件")
    return reason if reading.names else pii.mask_free_text(reason)


def case_timeline_rows(case: Case, now: datetime, reading: Reading) -> list[dict]:
    """Every move with its labels, who, when, why, the deadline its stage was given and whether
    the stage was left late (the current stage: whether it is late now)."""
    moves = list(case_timeline(case))
    rows = []
    for i, move in enumerate(moves):
        left_at = moves[i + 1].at if i + 1 < len(moves) else (now if move.to_status in workflow.OPEN else None)
        rows.append({
            "from_label": S(move.from_status).label if move.from_status else "",
            "to_label": S(move.to_status).label,
            "actor": shown_user(move.actor, named=reading.names),
            "at": move.at,
            "reason": move_reason(move.reason, case, reading),
            "deadline_at": move.deadline_at,
            "late": bool(move.deadline_at and left_at and left_at > move.deadline_at),
            "current": i + 1 == len(moves),
        })
    return rows


def case_escalations(case: Case) -> list[dict]:
    return [
        {"level": e.get_level_display(), "at": e.at, "status": S(e.status).label,
         "summonses": [{"department": s.department.name, "due_at": s.due_at, "reported_at": s.reported_at} for s in e.summonses.all()]}
        for e in case.escalations.prefetch_related("summonses__department").order_by("at", "pk")
    ]


def case_grid(case: Case) -> Grid | None:
    """The case's grid in the active layer. A grid's outline is public (the grid map shows it to
    anyone); the caller has already been allowed to see the case."""
    return Grid.objects.filter(layer__is_active=True, level=3, code=case.grid_code).only("code", "name", "geometry").first()


def department_by_code(code: str) -> Department | None:
    return Department.objects.filter(code=code).first()


def handles_departments(user) -> bool:
    return user.is_authenticated and user.is_active and Department.objects.filter(handlers=user).exists()
