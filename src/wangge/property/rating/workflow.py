"""A rating round's life, as data (`wangge.core.workflow`): open → scoring → review → publicity
→ published; a round under review may go back to scoring with a reason. Every move is made by a
district official (`permissions.may_run_rounds`) and kept as a `RatingRoundStep`."""

from wangge.core.workflow import Move, Workflow

from ..models.rating import RatingRound, RatingRoundStep

S = RatingRound.Status

MOVES = (
    Move(S.OPEN, S.SCORING, "organiser", label="开始评分"),
    Move(S.SCORING, S.REVIEW, "organiser", label="提交审核"),
    Move(S.REVIEW, S.SCORING, "organiser", label="退回评分", reason_required=True, reason_missing="退回评分时须说明原因"),
    Move(S.REVIEW, S.PUBLICITY, "organiser", label="审核通过并公示"),
    Move(S.PUBLICITY, S.PUBLISHED, "organiser", label="发布结果"),
)

ROUND = Workflow(history=RatingRoundStep, subject="round", moves=MOVES)

# What each status's button reads on the round's page.
LABELS = {(m.source, m.target): m.label for m in MOVES}
