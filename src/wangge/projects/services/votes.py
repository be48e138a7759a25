"""Residents' vote (participatory budgeting, as Decidim and CONSUL run it): a community's round
over its proposed projects, one secret ballot per resident, and the count.

Money is integer fen. Opening a round takes its projects into the vote; counting takes the
winners (by votes, while they fit what is left of the budget) into public notice and sends the
others back to proposed, each move recorded in the project's history.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from wangge.core.workflow import Move, workflow_move

from ..models import Ballot, BallotChoice, Project, RoundEntry, Status, Voter, VoteRound
from ..permissions import NOT_FOUND, require_actor
from ..selectors import residents_of, voter_person
from ..workflow import NOT_CHOSEN, ROUND
from .projects import move_project

R = VoteRound.Status
Mode = VoteRound.Mode
NOT_CHOSEN_REASON = "居民投票未入选"
VOTED_ALREADY = "您已在本轮投票中投过票，每人只能投一票"


@dataclass(frozen=True)
class EntryIn:
    project: Project
    cost_fen: int


def minimum_fen(budget_fen: int, share_percent: int) -> int:
    """The least a basket may cost: the share of the budget, rounded up to the fen."""
    return -(-budget_fen * share_percent // 100)


def winners_within(entries: list[tuple[int, int, int]], budget_fen: int) -> list[int]:
    """(key, votes, cost) → the keys chosen: most votes first (the cheaper first on a tie, then
    the earlier entry), each taken while it fits what is left of the budget; one that does not
    fit is passed over and the next is tried."""
    left, chosen = budget_fen, []
    for key, votes, cost in sorted(entries, key=lambda e: (-e[1], e[2], e[0])):
        if votes > 0 and cost <= left:
            chosen.append(key)
            left -= cost
    return chosen


def _round_fields(*, mode: str, budget_fen: int, max_choices: int, min_share_percent: int, opens_at, closes_at) -> None:
    if mode not in Mode.values:
        raise ValidationError({"mode": f"未知的投票方式：{mode}"})
    if budget_fen is None or budget_fen <= 0:
        raise ValidationError({"budget_fen": "预算须为正整数（单位：分）"})
    if mode == Mode.APPROVAL and max_choices < 1:
        raise ValidationError({"max_choices": "最多可选项目数至少为 1"})
    if mode == Mode.BASKET and not 1 <= min_share_percent <= 100:
        raise ValidationError({"min_share_percent": "最低比例须在 1% 至 100% 之间"})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": "投票结束时间须晚于开始时间"})


def _entries(community_code: str, budget_fen: int, entries: list[EntryIn]) -> list[EntryIn]:
    if not entries:
        raise ValidationError({"entries": "请至少列入一个项目"})
    if len({e.project.pk for e in entries}) != len(entries):
        raise ValidationError({"entries": "同一项目不能重复列入"})
    for row, entry in enumerate(entries, start=1):
        if entry.project.community_code != community_code or entry.project.status != Status.PROPOSED:
            raise ValidationError({f"entries[{row}].project_id": f"第 {row} 项：只能列入本社区已提议的项目"})
        if not isinstance(entry.cost_fen, int) or entry.cost_fen <= 0:
            raise ValidationError({f"entries[{row}].cost_fen": f"第 {row} 项：费用须为正整数（单位：分）"})
        if entry.cost_fen > budget_fen:
            raise ValidationError({f"entries[{row}].cost_fen": f"第 {row} 项：费用超过本轮预算"})
    return entries


@transaction.atomic
def round_create(
    *, actor, community_code: str, title: str, budget_fen: int, entries: list[EntryIn], opens_at, closes_at, mode: str = Mode.APPROVAL,
    max_choices: int = 3, min_share_percent: int = 70,
) -> VoteRound:
    """A round in preparation, by the community's party organisation, over its proposed projects."""
    require_actor(actor, "community", community_code)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写投票名称"})
    _round_fields(mode=mode, budget_fen=budget_fen, max_choices=max_choices, min_share_percent=min_share_percent, opens_at=opens_at, closes_at=closes_at)
    entries = _entries(community_code, budget_fen, entries)
    if mode == Mode.BASKET and sum(e.cost_fen for e in entries) < minimum_fen(budget_fen, min_share_percent):
        raise ValidationError({"entries": "列入项目的费用合计达不到篮子的最低金额，居民无法投票"})
    vote_round = VoteRound(
        community_code=community_code, title=title, budget_fen=budget_fen, mode=mode, max_choices=max_choices, min_share_percent=min_share_percent,
        opens_at=opens_at, closes_at=closes_at, created_by=actor,
    )
    vote_round.full_clean()
    vote_round.save()
    RoundEntry.objects.bulk_create(RoundEntry(round=vote_round, project=e.project, cost_fen=e.cost_fen) for e in entries)
    return vote_round


def _count(vote_round: VoteRound, actor) -> None:
    votes = dict(BallotChoice.objects.filter(entry__round=vote_round).values_list("entry").annotate(n=Count("pk")).values_list("entry", "n"))
    entries = list(vote_round.entries.select_related("project"))
    chosen = set(winners_within([(e.pk, votes.get(e.pk, 0), e.cost_fen) for e in entries], vote_round.budget_fen))
    for entry in entries:
        entry.votes, entry.won = votes.get(entry.pk, 0), entry.pk in chosen
        entry.save(update_fields=["votes", "won"])
        if entry.won:
            move_project(project=entry.project, actor=actor, to=Status.NOTICE, by_round=True)
        else:
            move_project(project=entry.project, actor=actor, name=NOT_CHOSEN, reason=NOT_CHOSEN_REASON, by_round=True)
    vote_round.eligible = residents_of(vote_round.community_code).count()


def round_move(*, vote_round: VoteRound, actor, to: str, reason: str = "") -> VoteRound:
    """Open (its projects enter the vote), close, count (winners to notice, the rest back)."""

    def may(move: Move, stored: VoteRound) -> None:
        require_actor(actor, move.actor, stored.community_code)

    def change(stored: VoteRound, move: Move, now) -> list[str]:
        if move.target == R.OPEN:
            for entry in stored.entries.select_related("project"):
                move_project(project=entry.project, actor=actor, to=Status.VOTING, by_round=True)
        if move.target == R.COUNTED:
            _count(stored, actor)
            return ["eligible"]
        return []

    return workflow_move(ROUND, vote_round, actor=actor, to=to, reason=reason, may=may, change=change)


def _choices(vote_round: VoteRound, entry_ids: list[int]) -> list[RoundEntry]:
    if len(set(entry_ids)) != len(entry_ids):
        raise ValidationError({"choices": "同一项目只能选一次"})
    entries = {e.pk: e for e in vote_round.entries.all()}
    unknown = [pk for pk in entry_ids if pk not in entries]
    if unknown:
        raise ValidationError({"choices": f"本轮投票没有编号为 {unknown[0]} 的项目"})
    chosen = [entries[pk] for pk in entry_ids]
    if not chosen:
        raise ValidationError({"choices": "请至少选择一个项目"})
    if vote_round.mode == Mode.APPROVAL and len(chosen) > vote_round.max_choices:
        raise ValidationError({"choices": f"最多选择 {vote_round.max_choices} 个项目"})
    if vote_round.mode == Mode.BASKET:
        total, least = sum(e.cost_fen for e in chosen), minimum_fen(vote_round.budget_fen, vote_round.min_share_percent)
        if total > vote_round.budget_fen:
            raise ValidationError({"choices": f"所选项目费用合计 {total / 100:.2f} 元，超过预算 {vote_round.budget_fen / 100:.2f} 元"})
        if total < least:
            raise ValidationError({"choices": f"所选项目费用合计 {total / 100:.2f} 元，须不低于预算的 {vote_round.min_share_percent}%（{least / 100:.2f} 元）"})
    return chosen


@transaction.atomic
def ballot_cast(*, vote_round: VoteRound, actor, entry_ids: list[int]) -> Ballot:
    """One secret ballot from a resident of the round's community, once (the database's
    unique (round, person) decides between two at the same moment)."""
    person = voter_person(actor, vote_round.community_code)
    if person is None:
        raise Http404(NOT_FOUND)  # a round of another community is not the resident's to see
    vote_round = VoteRound.objects.select_for_update().get(pk=vote_round.pk)
    now = timezone.now()
    if vote_round.status != R.OPEN or not vote_round.opens_at <= now < vote_round.closes_at:
        raise ValidationError({"choices": "本轮投票未开始或已经结束"})
    chosen = _choices(vote_round, list(entry_ids))
    try:
        with transaction.atomic():
            Voter.objects.create(round=vote_round, person=person)
    except IntegrityError:
        raise ValidationError({"choices": VOTED_ALREADY}) from None
    ballot = Ballot.objects.create(round=vote_round)
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, entry=entry) for entry in chosen)
    return ballot


def round_results(vote_round: VoteRound) -> dict:
    """What the portal shows: each project's votes once counted, the winners, the turnout."""
    counted = vote_round.status == R.COUNTED
    voters = vote_round.voters.count()
    eligible = vote_round.eligible if counted else residents_of(vote_round.community_code).count()
    entries = list(vote_round.entries.select_related("project").order_by("-votes", "cost_fen", "pk") if counted else vote_round.entries.select_related("project"))
    return {
        "counted": counted, "budget_fen": vote_round.budget_fen, "voters": voters, "eligible": eligible,
        "turnout_percent": round(100 * voters / eligible, 1) if eligible else 0.0,
        "chosen_fen": sum(e.cost_fen for e in entries if e.won),
        "entries": [
            {"id": e.pk, "project_id": e.project_id, "title": e.project.title, "cost_fen": e.cost_fen, "votes": e.votes if counted else None,
             "won": bool(e.won) if counted else None}
            for e in entries
        ],
    }


def rounds_close_due(*, now) -> int:
    """Close, as the system, the open rounds whose voting time is over; the count stays with the
    community's officials (it publishes the winners' notices in their name)."""
    closed = 0
    for vote_round in VoteRound.objects.filter(status=R.OPEN, closes_at__lte=now).order_by("pk"):
        round_move(vote_round=vote_round, actor=None, to=R.CLOSED, reason="投票时间已到")
        closed += 1
    return closed
