"""Nobody votes twice, also when the same resident's ballots arrive at the same moment."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.projects.conftest import community_official_of
from tests.races import race
from wangge.accounts.models import Role, User
from wangge.geo.models import Grid
from wangge.people.models import Person
from wangge.projects.models import (
    Ballot,
    BallotChoice,
    Category,
    Project,
    ProjectStep,
    Voter,
    VoteRound,
    VoteRoundStep,
)
from wangge.projects.services.projects import project_create, project_move
from wangge.projects.services.votes import EntryIn, ballot_cast, round_create, round_move


def _open_round(community: str) -> VoteRound:
    official = community_official_of(community)
    project = project_create(actor=official, title="并发投票项目", category=Category.objects.get(code="safety"), community_code=community, scope="巡逻", year=2026)
    project = project_move(project=project, actor=official, to="proposed")
    now = timezone.now()
    vote_round = round_create(actor=official, community_code=community, title="并发投票", budget_fen=100_000, entries=[EntryIn(project, 50_000)],
                              opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1))
    return round_move(vote_round=vote_round, actor=official, to="open")


def _clean(vote_round: VoteRound, person: Person) -> None:
    projects = list(Project.objects.filter(round_entries__round=vote_round))
    BallotChoice.objects.filter(ballot__round=vote_round).delete()
    Ballot.objects.filter(round=vote_round).delete()
    Voter.objects.filter(round=vote_round).delete()
    VoteRoundStep.objects.filter(round=vote_round).delete()
    vote_round.entries.all().delete()
    vote_round.delete()
    ProjectStep.objects.filter(project__in=projects).delete()
    Project.objects.filter(pk__in=[p.pk for p in projects]).delete()
    Person.objects.filter(pk=person.pk).update(user=None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's IMMEDIATE transactions serialise writers; the race exists on PostgreSQL")
def test_four_ballots_of_one_resident_at_once_make_one_vote(django_db_blocker):
    with django_db_blocker.unblock():
        community = Grid.objects.filter(layer__is_active=True, level=3).order_by("code").first().community.code
        person = Person.objects.filter(household__building__community__code=community, user__isnull=True).order_by("pk").first()
        user = User.objects.create(username=f"racing_voter_{uuid4().hex[:8]}", role=Role.RESIDENT)
        Person.objects.filter(pk=person.pk).update(user=user)
        vote_round = _open_round(community)
        entry = vote_round.entries.get().pk

        def cast():
            ballot_cast(vote_round=vote_round, actor=user, entry_ids=[entry])
            return "cast"

        answers = [answer.messages[0] if isinstance(answer, ValidationError) else answer for answer in race([cast] * 4)]
        try:
            assert sorted(answers) == ["cast"] + ["您已在本轮投票中投过票，每人只能投一票"] * 3, answers
            assert Voter.objects.filter(round=vote_round).count() == Ballot.objects.filter(round=vote_round).count() == 1
        finally:
            _clean(vote_round, person)
