"""Residents' vote: who may vote (a resident of the community, once, secretly), the ballot's
bounds in each mode, and the count (winners by votes while they fit the budget)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from tests.projects.conftest import proposed
from wangge.projects.models import Ballot, BallotChoice, Project, ProjectStep, Voter, VoteRound
from wangge.projects.selectors import residents_of
from wangge.projects.services.votes import (
    EntryIn,
    ballot_cast,
    minimum_fen,
    round_create,
    round_move,
    winners_within,
)

YUAN = 100  # fen


def open_round(people, world, costs: list[int], *, budget: int = 10_000 * YUAN, **extra) -> VoteRound:
    official = people.community_official.user
    projects = [proposed(people, world, title=f"项目{n}") for n in range(len(costs))]
    now = timezone.now()
    vote_round = round_create(
        actor=official, community_code=world.community, title="2026 年社区微项目投票", budget_fen=budget, opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7), entries=[EntryIn(p, c) for p, c in zip(projects, costs, strict=True)], **extra,
    )
    return round_move(vote_round=vote_round, actor=official, to="open")


def entries(vote_round: VoteRound) -> list[int]:
    return list(vote_round.entries.order_by("pk").values_list("pk", flat=True))


def test_it_takes_the_projects_into_the_vote_when_the_round_opens(people, world):
    vote_round = open_round(people, world, [3000 * YUAN, 4000 * YUAN])
    assert set(Project.objects.filter(round_entries__round=vote_round).values_list("status", flat=True)) == {"voting"}
    assert ProjectStep.objects.filter(to_status="voting", actor=people.community_official.user).count() == 2


def test_it_keeps_one_secret_ballot_per_resident(people, world):
    vote_round = open_round(people, world, [3000 * YUAN, 4000 * YUAN])
    first, second = entries(vote_round)
    ballot = ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=[first])
    with pytest.raises(ValidationError, match="每人只能投一票"):
        ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=[second])
    assert Voter.objects.filter(round=vote_round).count() == 1
    assert list(BallotChoice.objects.filter(entry__round=vote_round).values_list("entry", flat=True)) == [first]
    # Nothing in the ballot leads back to the voter: a random key and the round only.
    assert {f.name for f in Ballot._meta.concrete_fields} == {"id", "round"}
    assert {f.name for f in BallotChoice._meta.concrete_fields} == {"id", "ballot", "entry"}
    assert Ballot.objects.get().pk == ballot.pk


def test_the_database_refuses_a_second_voter_row(people, world):
    vote_round = open_round(people, world, [3000 * YUAN])
    ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=entries(vote_round))
    person = world.voter.user.person
    with pytest.raises(IntegrityError), transaction.atomic():
        Voter.objects.create(round=vote_round, person=person)


def test_a_resident_of_another_community_meets_a_missing_round(people, world):
    vote_round = open_round(people, world, [3000 * YUAN])
    for user in (world.outsider.user, people.resident.user, people.community_official.user):
        with pytest.raises(Http404):
            ballot_cast(vote_round=vote_round, actor=user, entry_ids=entries(vote_round))
    assert not Voter.objects.exists() and not Ballot.objects.exists()


def test_it_refuses_ballots_outside_the_voting_period(people, world):
    vote_round = open_round(people, world, [3000 * YUAN])
    VoteRound.objects.filter(pk=vote_round.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="未开始或已经结束"):
        ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=entries(vote_round))
    round_move(vote_round=vote_round, actor=people.community_official.user, to="closed")
    VoteRound.objects.filter(pk=vote_round.pk).update(closes_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError, match="未开始或已经结束"):
        ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=entries(vote_round))
    assert not Voter.objects.exists()


def test_it_bounds_an_approval_ballot(people, world):
    vote_round = open_round(people, world, [1000 * YUAN] * 3, max_choices=2)
    with pytest.raises(ValidationError, match="最多选择 2 个项目"):
        ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=entries(vote_round))
    with pytest.raises(ValidationError, match="同一项目只能选一次"):
        ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=[entries(vote_round)[0]] * 2)
    with pytest.raises(ValidationError, match="本轮投票没有编号为 987654 的项目"):
        ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=[987654])
    assert not Voter.objects.exists()


def test_it_keeps_a_basket_between_its_share_and_the_budget(people, world):
    vote_round = open_round(people, world, [4000 * YUAN, 3500 * YUAN, 3000 * YUAN], mode="basket")
    big, middle, small = entries(vote_round)
    with pytest.raises(ValidationError, match="超过预算"):
        ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=[big, middle, small])
    with pytest.raises(ValidationError, match="须不低于预算的 70%"):
        ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=[big])
    ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=[big, middle])  # 7500 of 10000
    assert Voter.objects.count() == 1
    assert minimum_fen(999, 70) == 700  # rounded up: 699.3 fen would fall short


def test_it_counts_winners_by_votes_while_they_fit_the_budget(people, world):
    # 6000 (2 votes), 5000 (2 votes, cheaper: first), 3000 (1 vote) with 10000: 5000, then 6000 does not fit, then 3000.
    vote_round = open_round(people, world, [6000 * YUAN, 5000 * YUAN, 3000 * YUAN])
    dear, cheap, small = entries(vote_round)
    ballot_cast(vote_round=vote_round, actor=world.voter.user, entry_ids=[dear, cheap])
    ballot_cast(vote_round=vote_round, actor=world.second_voter.user, entry_ids=[dear, cheap, small])
    official = people.community_official.user
    round_move(vote_round=vote_round, actor=official, to="closed")
    vote_round = round_move(vote_round=vote_round, actor=official, to="counted")
    result = {e.pk: (e.votes, e.won, e.project.status) for e in vote_round.entries.select_related("project")}
    assert result == {dear: (2, False, "proposed"), cheap: (2, True, "notice"), small: (1, True, "notice")}
    assert vote_round.eligible == residents_of(world.community).count() > 2
    assert ProjectStep.objects.filter(from_status="voting", to_status="proposed", reason="居民投票未入选").count() == 1


def test_winners_within_passes_over_what_does_not_fit():
    assert winners_within([(1, 9, 800), (2, 7, 300), (3, 5, 200), (4, 0, 1)], 1000) == [1, 3]
    assert winners_within([(1, 3, 500), (2, 3, 400)], 900) == [2, 1]
    assert winners_within([], 100) == []


def test_it_refuses_a_round_over_projects_it_may_not_take(people, world):
    official = people.community_official.user
    now = timezone.now()
    fields = {"actor": official, "community_code": world.community, "title": "投票", "opens_at": now, "closes_at": now + timedelta(days=1)}
    project = proposed(people, world)
    with pytest.raises(ValidationError, match="费用超过本轮预算"):
        round_create(budget_fen=1000, entries=[EntryIn(project, 2000)], **fields)
    with pytest.raises(ValidationError, match="达不到篮子的最低金额"):
        round_create(budget_fen=10000, entries=[EntryIn(project, 2000)], mode="basket", **fields)
    with pytest.raises(ValidationError, match="投票结束时间须晚于开始时间"):
        round_create(budget_fen=10000, entries=[EntryIn(project, 2000)], **fields | {"closes_at": now})
    Project.objects.filter(pk=project.pk).update(status="draft")
    project.refresh_from_db()
    with pytest.raises(ValidationError, match="只能列入本社区已提议的项目"):
        round_create(budget_fen=10000, entries=[EntryIn(project, 2000)], **fields)
    assert not VoteRound.objects.exists()


def test_the_worker_closes_rounds_whose_time_is_over(people, world):
    from wangge.core.jobs import jobs

    vote_round = open_round(people, world, [3000 * YUAN])
    close = next(j for j in jobs() if j.name == "projects.rounds_close").function
    assert close(timezone.now()) == 0
    assert close(vote_round.closes_at) == 1
    vote_round.refresh_from_db()
    assert vote_round.status == "closed"
    assert vote_round.steps.get(to_status="closed").actor is None
