"""A service project's life, as data (`wangge.core.workflow`).

draft → proposed (the community's party organisation) → voting (when a residents' vote takes it
in; back to proposed when it is not chosen) → notice (公示 on the portal) → filed (备案, by the
subdistrict, once the period is over and every objection answered) → implementing → accepted
(验收) → disclosed (results made public) → closed. Withdrawn by the proposer or rejected by the
subdistrict, with a reason, before filing. `renotice` is the one way back from a filed project:
its money or scope changes only through a new proposal and notice. Kept as `ProjectStep`.
"""

from wangge.core.workflow import Move, Workflow

from .models import ProjectStep, Status, VoteRound, VoteRoundStep

S = Status
RENOTICE = "renotice"
NOT_CHOSEN = "not_chosen"

MOVES = (
    Move(S.DRAFT, S.PROPOSED, "community", label="提议"),
    Move(S.PROPOSED, S.VOTING, "community", label="纳入居民投票"),
    Move(S.VOTING, S.PROPOSED, "community", name=NOT_CHOSEN, label="居民投票未入选", reason_required=True),
    Move(S.PROPOSED, S.NOTICE, "community", label="公示"),
    Move(S.VOTING, S.NOTICE, "community", label="投票入选并公示"),
    Move(S.NOTICE, S.FILED, "subdistrict", label="备案"),
    Move(S.FILED, S.IMPLEMENTING, "community", label="开始实施"),
    Move(S.IMPLEMENTING, S.ACCEPTED, "community", label="验收"),
    Move(S.ACCEPTED, S.DISCLOSED, "community", label="公开实施结果"),
    Move(S.DISCLOSED, S.CLOSED, "community", label="结项"),
    *(Move(source, S.WITHDRAWN, "community", label="撤回", reason_required=True, reason_missing="撤回项目须说明原因")
      for source in (S.DRAFT, S.PROPOSED, S.NOTICE)),
    *(Move(source, S.REJECTED, "subdistrict", label="不予备案", reason_required=True, reason_missing="不予备案须说明原因")
      for source in (S.PROPOSED, S.NOTICE)),
    *(Move(source, S.PROPOSED, "community", name=RENOTICE, label="变更并重新公示", reason_required=True, reason_missing="变更已备案项目须说明原因")
      for source in (S.FILED, S.IMPLEMENTING)),
)

PROJECT = Workflow(history=ProjectStep, subject="project", moves=MOVES)

# Statuses from which acceptance has not happened: closing from these names the rule.
BEFORE_ACCEPTANCE = (S.DRAFT, S.PROPOSED, S.VOTING, S.NOTICE, S.FILED, S.IMPLEMENTING)


R = VoteRound.Status

ROUND = Workflow(
    history=VoteRoundStep, subject="round",
    moves=(
        Move(R.DRAFT, R.OPEN, "community", label="开始投票"),
        Move(R.OPEN, R.CLOSED, "community", label="结束投票"),
        Move(R.CLOSED, R.COUNTED, "community", label="计票"),
    ),
)
