"""Owners' votes on the records: one ballot per owner per dwelling, weighted by the dwelling's
area, counted under art. 278 with both thresholds."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count

from wangge.people.models import Person
from wangge.property.models import Compound, Dwelling, DwellingOwner
from wangge.property.models.votes import Ballot
from wangge.property.votes.services import (
    ballot_cast,
    owners_vote_close,
    owners_vote_open,
    owners_vote_tally,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def compound(people):
    """A demo compound of the home grid's community cut down to ten dwellings of 100 m², each
    with one owner from the registry."""
    compound = Compound.objects.filter(community=people.home_grid.community).annotate(n=Count("dwellings")).filter(n__gte=10).order_by("pk").first()
    kept = list(compound.dwellings.order_by("pk").values_list("pk", flat=True)[:10])
    compound.dwellings.exclude(pk__in=kept).delete()
    Dwelling.objects.filter(pk__in=kept).update(area=Decimal(100))
    for dwelling in Dwelling.objects.filter(pk__in=kept).select_related("household"):
        owner = dwelling.household.members.order_by("pk").first()
        DwellingOwner.objects.filter(dwelling=dwelling).delete()
        DwellingOwner.objects.create(dwelling=dwelling, person=owner)
    assert compound.dwellings.count() == 10
    return compound


def _vote_with(compound, people, matter: str, choices: list[str]):
    vote = owners_vote_open(compound=compound, title="测试表决", matter=matter, actor=people.community_official.user)
    for dwelling, choice in zip(compound.dwellings.order_by("pk"), choices, strict=False):
        ballot_cast(vote=vote, dwelling=dwelling, owner=dwelling.owners.get(), choice=choice, actor=people.community_official.user)
    return vote


def test_it_does_not_count_a_vote_below_two_thirds_participation(compound, people):
    vote = _vote_with(compound, people, "ordinary", ["yes"] * 6)  # 6 of 10 owners and 60 % of the area, all agreeing
    result = owners_vote_tally(vote)
    assert (result.owners_taking_part, result.area_taking_part) == (6, 600)
    assert not result.counts and not result.passed


def test_it_does_not_pass_a_repair_fund_vote_at_seventy_percent(compound, people):
    choices = ["yes"] * 7 + ["no"] * 3
    fund = owners_vote_tally(_vote_with(compound, people, "repair_fund", choices))
    assert fund.counts and fund.area_for == 700 and not fund.passed
    assert owners_vote_tally(_vote_with(compound, people, "ordinary", choices)).passed


def test_it_takes_one_ballot_per_owner_per_dwelling(compound, people):
    vote = _vote_with(compound, people, "ordinary", ["yes"])
    dwelling = compound.dwellings.order_by("pk").first()
    with pytest.raises(ValidationError, match="已就这套房屋投票"):
        ballot_cast(vote=vote, dwelling=dwelling, owner=dwelling.owners.get(), choice="yes", actor=people.community_official.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, dwelling=dwelling, owner=dwelling.owners.get(), choice="no")
    stranger = Person.objects.exclude(dwelling_ownerships__dwelling=dwelling).first()
    with pytest.raises(ValidationError, match="不是这套房屋登记的业主"):
        ballot_cast(vote=vote, dwelling=dwelling, owner=stranger, choice="yes", actor=people.community_official.user)
    assert vote.ballots.count() == 1


def test_it_lets_only_officials_of_the_compound_run_its_votes(compound, people):
    with pytest.raises(PermissionDenied):
        owners_vote_open(compound=compound, title="越权", matter="ordinary", actor=people.other_grid_worker.user)
    vote = _vote_with(compound, people, "ordinary", [])
    owners_vote_close(vote=vote, actor=people.subdistrict_official.user)
    dwelling = compound.dwellings.first()
    with pytest.raises(ValidationError, match="表决已经结束"):
        ballot_cast(vote=vote, dwelling=dwelling, owner=dwelling.owners.get(), choice="yes", actor=people.community_official.user)


def test_the_vote_page_shows_both_thresholds_and_is_reached_from_the_compound(client, compound, people):
    vote = _vote_with(compound, people, "repair_fund", ["yes"] * 7 + ["no"] * 3)
    client.force_login(people.community_official.user)
    assert f"/property/compounds/{compound.pk}/votes" in client.get(f"/property/compounds/{compound.pk}").content.decode()
    assert f"/property/votes/{vote.pk}" in client.get(f"/property/compounds/{compound.pk}/votes").content.decode()
    page = client.get(f"/property/votes/{vote.pk}").content.decode()
    assert "未通过" in page and "≥ 3/4 参与表决面积" in page and "70.00%" in page and "100.00%" in page
    assert page.count("未达到") == 2 and page.count(">达到<") == 2


def test_a_ballot_entered_on_the_page_counts_and_an_outsider_gets_404(client, compound, people):
    vote = _vote_with(compound, people, "ordinary", [])
    ownership = DwellingOwner.objects.filter(dwelling__compound=compound).order_by("pk").first()
    client.force_login(people.community_official.user)
    assert client.post(f"/property/votes/{vote.pk}", {"ownership": ownership.pk, "choice": "yes"}).status_code == 302
    again = client.post(f"/property/votes/{vote.pk}", {"ownership": ownership.pk, "choice": "yes"})
    assert again.status_code == 400 and "该业主已就这套房屋投票" in again.content.decode()
    assert vote.ballots.count() == 1
    client.force_login(people.other_grid_worker.user)  # refused by role before any lookup: the same 403 for any vote
    assert client.get(f"/property/votes/{vote.pk}").status_code == 403 == client.get("/property/votes/987654321").status_code
    assert client.post(f"/property/votes/{vote.pk}", {"ownership": ownership.pk, "choice": "no"}).status_code == 403
    assert list(vote.ballots.values_list("choice", flat=True)) == ["yes"]
