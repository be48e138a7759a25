"""Who may move a case: one small predicate per actor named in `workflow.WORKFLOW`."""


from django.utils import timezone

from wangge.accounts.models import Role
from wangge.accounts.models.users import OFFICERS
from wangge.accounts.permissions import is_official
from wangge.geo.scope import scope_of

from . import workflow
from .models import Case

ACTOR_LABELS = {
    "dispatcher": "负责该网格的干部（派遣员）",
    "department": "承办部门的经办人",
    "grid_worker": "该网格的网格员",
    "reporter": "上报人",
}


def can_report(user) -> bool:
    """Residents report from anywhere; staff need a node of the tree. Officers do not report."""
    if not (user.is_authenticated and user.is_active and user.role) or user.role in OFFICERS:
        return False
    return user.role == Role.RESIDENT or scope_of(user).prefix is not None


def is_dispatcher(user, case: Case) -> bool:
    return is_official(user) and user.is_active and scope_of(user).covers(case.grid_code)


def is_department_handler(user, case: Case) -> bool:
    return case.department_id is not None and case.department.handlers.filter(pk=user.pk).exists()


def is_grid_worker(user, case: Case) -> bool:
    return user.is_active and user.role == Role.GRID_WORKER and scope_of(user).prefix == case.grid_code


def is_reporter(user, case: Case) -> bool:
    return user.is_authenticated and case.reporter_id == user.pk


def may_see_staff_names(user, case: Case) -> bool:
    """Staff who work the case (its grid in their scope, or its department theirs) see who
    moved it by name; the reporter, a resident following it and the public see a role and a
    masked name (张*)."""
    if not (user.is_authenticated and user.is_active and user.role) or user.role in (Role.RESIDENT, *OFFICERS):
        return False
    return scope_of(user).covers(case.grid_code) or is_department_handler(user, case)


def within_reopen_window(case: Case) -> bool:
    return case.reopen_until is not None and timezone.now() <= case.reopen_until


PREDICATES = {
    "dispatcher": is_dispatcher,
    "department": is_department_handler,
    "grid_worker": is_grid_worker,
    "reporter": is_reporter,
}


def may_act(actor_kind: str, user, case: Case) -> bool:
    return PREDICATES[actor_kind](user, case)


def moves_for(user, case: Case) -> list[str]:
    """The statuses this user may move the case to now: the one answer the pages show as
    forms, so that a page never offers a move `services.case_transition` would refuse."""
    if not (user.is_authenticated and user.is_active):
        return []
    moves = []
    for to, kind in workflow.WORKFLOW.targets(case.status).items():
        if kind == "reporter" and not within_reopen_window(case):
            continue
        if may_act(kind, user, case):
            moves.append(to)
    return moves


def may_rate(user, case: Case) -> bool:
    """The reporter rates a closed case once per closing; a merged duplicate is rated where it went."""
    return is_reporter(user, case) and case.status == Case.Status.CLOSED and not case.duplicate_of_id and case.rating is None


def may_add_photo(user, case: Case, stage: str = "before") -> bool:
    """A photo of the problem: the people who work the case, and the person who reported it.
    A photo of the work done ("after"): the department's handler while it handles the case, and
    the grid's worker while they verify it on site."""
    if stage == "after":
        return may_add_after_photo(user, case)
    return may_see_original(user, case) or (user.is_authenticated and user.is_active and is_reporter(user, case))


def may_add_after_photo(user, case: Case) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    S = Case.Status
    return (case.status in (S.DISPATCHED, S.HANDLING) and is_department_handler(user, case)) or (case.status == S.HANDLED and is_grid_worker(user, case))


def may_see_original(user, case: Case) -> bool:
    """Staff who work the case see the original with its EXIF; residents and service accounts never do."""
    return user.is_authenticated and user.is_active and (
        is_grid_worker(user, case) or is_dispatcher(user, case) or is_department_handler(user, case)
    )
