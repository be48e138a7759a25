"""A deliberation's life, as data (`wangge.core.workflow`): 征 soliciting → 提议 proposed → 商议
consulted → 决议 resolved at a meeting (or not adopted: a sitting with quorum whose majority did
not vote for; the matter ends there, and a changed proposal is a new deliberation) → 公开 the
resolution in publicity → implementing → 公开 the result → closed. A sitting without quorum moves
nothing: the deliberation stays consulted and is put to a new sitting. Kept as `DeliberationStep`."""

from wangge.core.workflow import Move, Workflow

from ..models_deliberation import Deliberation, DeliberationStep

S = Deliberation.Status

# Actors: "community" (the community party organisation: a community official), "official"
# (an official whose scope holds the community), "meeting" (only a recorded sitting's vote).
MOVES = (
    Move(S.SOLICITING, S.PROPOSED, "community", label="提议"),
    Move(S.PROPOSED, S.CONSULTED, "official", label="完成商议"),
    Move(S.CONSULTED, S.RESOLVED, "meeting", label="表决通过"),
    Move(S.CONSULTED, S.NOT_ADOPTED, "meeting", label="表决未通过"),
    Move(S.RESOLVED, S.PUBLICITY, "official", label="公开决议"),
    Move(S.PUBLICITY, S.IMPLEMENTING, "official", label="开始实施"),
    Move(S.IMPLEMENTING, S.RESULT_DISCLOSED, "official", label="公开实施结果"),
    Move(S.RESULT_DISCLOSED, S.CLOSED, "official", label="办结"),
)

DELIBERATION = Workflow(history=DeliberationStep, subject="deliberation", moves=MOVES, refusal="不能从「{source}」转为「{target}」：一征三议两公开须按顺序进行")

LABELS = {(m.source, m.target): m.label for m in MOVES}
# The statuses a resolution has been reached in: what a service project may name.
RESOLVED_STATUSES = (S.RESOLVED, S.PUBLICITY, S.IMPLEMENTING, S.RESULT_DISCLOSED, S.CLOSED)
