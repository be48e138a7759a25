"""The closed loop of a case, as data: which status may follow which, and who moves it.

reported → accepted (立案) or rejected → dispatched to a department → handling → handled →
verified on site by the grid's worker → closed. A department may return a dispatched case to
dispatch (accepted) with a reason; a failed verification sends it back to handling; the reporter
may reopen a closed case within a window, which sends it back to dispatch. The dispatcher may
also merge an open case into the one it repeats, which closes it (`MERGE`).

`WORKFLOW` declares it on the floor's mechanism (`wangge.core.workflow`); `services` makes every
move through it, and each is kept as a `CaseTransition`.
"""

from wangge.core.workflow import Move, Workflow, moves_from

from .models import Case, CaseTransition

S = Case.Status

# from status -> {to status: the actor it takes}
TRANSITIONS: dict[str, dict[str, str]] = {
    S.REPORTED: {S.ACCEPTED: "dispatcher", S.REJECTED: "dispatcher"},
    S.ACCEPTED: {S.DISPATCHED: "dispatcher"},
    S.DISPATCHED: {S.HANDLING: "department", S.ACCEPTED: "department"},
    S.HANDLING: {S.HANDLED: "department"},
    S.HANDLED: {S.VERIFIED: "grid_worker", S.HANDLING: "grid_worker"},
    S.VERIFIED: {S.CLOSED: "dispatcher"},
    S.CLOSED: {S.ACCEPTED: "reporter"},
    S.REJECTED: {},
}

# Moves that must say why.
REASON_REQUIRED = {(S.REPORTED, S.REJECTED), (S.DISPATCHED, S.ACCEPTED), (S.HANDLED, S.HANDLING), (S.CLOSED, S.ACCEPTED)}
OPEN = [s for s in S.values if s not in (S.CLOSED, S.REJECTED)]

# A duplicate is closed into the case it repeats, from wherever it stands, by the dispatcher;
# made by this name only, so that naming "closed" never closes an open case.
MERGE = "merge"
# What a reader who may not read the case a duplicate went into is told instead of its number.
MERGED = "已合并到同一问题的处理中"

WORKFLOW = Workflow(
    history=CaseTransition, subject="case", deadline_field="deadline_at",
    moves=(
        *moves_from(TRANSITIONS, reason_required=REASON_REQUIRED),
        *(Move(status, S.CLOSED, "dispatcher", name=MERGE, label="合并", reason_required=True) for status in OPEN),
    ),
)


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in WORKFLOW.targets(from_status)


def actor_for(from_status: str, to_status: str) -> str | None:
    return WORKFLOW.targets(from_status).get(to_status)
