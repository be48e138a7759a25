"""The demo's rating, votes and demonstrations (`demo/property_ratings.py`) are backed by records:
scores with authors allowed to rate, survey answers of registry households in their compound,
results computed from them, disclosures generated from the round, votes by registered owners,
demonstrations whose criteria their records meet."""

import pytest
from django.db.models import F

from wangge.demo.property_ratings import demo_ratings_build
from wangge.portal.models import Disclosure, Stage
from wangge.property.models import Compound
from wangge.property.models.demonstrations import Demonstration
from wangge.property.models.rating import RatingObjection, RatingRound, SectionScore, SurveyVote
from wangge.property.models.votes import Ballot, OwnersVote
from wangge.property.rating.permissions import may_rate
from wangge.property.votes.services import owners_vote_tally

pytestmark = pytest.mark.django_db


def test_the_demo_ratings_stand_on_records():
    made = demo_ratings_build()
    published, current = RatingRound.objects.order_by("year")
    assert (published.status, current.status) == ("published", "publicity") and made["rounds"] == 2
    assert published.entries.count() == Compound.objects.count()
    for score in SectionScore.objects.select_related("entry__compound__community", "entry__round", "author", "section"):
        assert may_rate(score.author, score.entry.compound) and 0 <= score.points <= score.section.points
        assert score.section.source == "inspection" and score.section.scheme_id == score.entry.round.scheme_id
    assert not SurveyVote.objects.exclude(entry__compound__holdings__building=F("household__building")).exists()
    assert not published.entries.filter(total__isnull=True).exists()
    disclosure = Disclosure.objects.get(pk=published.disclosure_id)
    assert disclosure.stage == Stage.PUBLISHED and disclosure.kind == "rating"
    best = published.entries.order_by("-total").select_related("compound").first()
    assert best.compound.name in disclosure.body_text and str(best.total) in disclosure.body_text
    objection = RatingObjection.objects.get()
    assert objection.entry.round == current and objection.submitted_by.property_account.company == objection.entry.company
    assert not Ballot.objects.exclude(owner__dwelling_ownerships__dwelling=F("dwelling")).exists()
    tallies = {vote.matter: owners_vote_tally(vote) for vote in OwnersVote.objects.all()}
    assert tallies["ordinary"].passed and not tallies["repair_fund"].passed
    # The demo district's plan designated its demonstrations before the ratings: none are stacked on them.
    assert Demonstration.objects.exists() and made["demonstrations"] == {}
    Demonstration.objects.all().delete()
    from wangge.demo.property_ratings import _demonstrations, _raters

    made = _demonstrations(published, _raters()[0])
    for d in Demonstration.objects.filter(level="compound").select_related("compound"):
        entry = published.entries.get(compound=d.compound)
        assert entry.stars >= 4 and "star_rating" in d.criteria
    assert Demonstration.objects.filter(level="compound").count() == made.get("compounds", 0)
