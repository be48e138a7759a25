"""The rating round's writes: who may score what, the survey's one vote per household, the
inputs computed from the records, publicity with objections, publication on the portal."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.property.rating_world import build_world
from wangge.cases.models import Case, Category
from wangge.cases.services import case_report
from wangge.people.models import Person
from wangge.portal.models import Disclosure, Stage
from wangge.property.models.rating import RatingEntry, RatingRoundStep, SurveyVote, VetoFinding
from wangge.property.rating.services import (
    objection_answer,
    objection_submit,
    round_move,
    score_record,
    survey_vote,
    veto_find,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people):
    return build_world(people)


def _entry(world, compound) -> RatingEntry:
    return RatingEntry.objects.select_related("compound__community", "round").get(round=world.round, compound=compound)


def _section(world, name):
    return world.scheme.sections.get(name=name)


def _to_scoring(world, people):
    round_move(rating_round=world.round, to="scoring", actor=people.district_official.user)


def test_it_refuses_a_subdistrict_official_scoring_a_market_company(world, people):
    _to_scoring(world, people)
    market, courtyard = _entry(world, world.market), _entry(world, world.courtyard)
    with pytest.raises(PermissionDenied, match="市场化物业由区级评定"):
        score_record(entry=market, section=_section(world, "基础管理"), points=30, actor=people.subdistrict_official.user)
    with pytest.raises(PermissionDenied):
        score_record(entry=courtyard, section=_section(world, "基础管理"), points=30, actor=people.district_official.user)
    score_record(entry=courtyard, section=_section(world, "基础管理"), points=30, actor=people.subdistrict_official.user)
    score_record(entry=market, section=_section(world, "基础管理"), points=35, actor=people.district_official.user)
    authors = dict(market.scores.values_list("section__name", "author__username"))
    assert authors == {"基础管理": "district_official"} and not market.scores.filter(author=people.subdistrict_official.user).exists()


def test_it_refuses_scores_out_of_their_section_or_phase(world, people):
    market = _entry(world, world.market)
    with pytest.raises(ValidationError, match="不能评分"):
        score_record(entry=market, section=_section(world, "基础管理"), points=30, actor=people.district_official.user)
    _to_scoring(world, people)
    with pytest.raises(ValidationError, match="0 至 40"):
        score_record(entry=market, section=_section(world, "基础管理"), points=41, actor=people.district_official.user)
    with pytest.raises(ValidationError, match="系统根据记录计算"):
        score_record(entry=market, section=_section(world, "事件办理"), points=20, actor=people.district_official.user)
    with pytest.raises(ValidationError, match="须为数字"):
        score_record(entry=market, section=_section(world, "基础管理"), points="NaN?", actor=people.district_official.user)
    assert not market.scores.exists()


def test_it_lets_a_household_answer_the_survey_once(world, people):
    household = world.households[0]
    member = Person.objects.filter(household=household).first()
    member.user = people.resident.user
    member.save(update_fields=["user"])
    vote = survey_vote(rating_round=world.round, household=household, satisfaction=4, actor=people.resident.user)
    assert vote.channel == "portal" and vote.entry.compound == world.market
    with pytest.raises(ValidationError, match="每户只能投一票"):
        survey_vote(rating_round=world.round, household=household, satisfaction=1, actor=people.grid_worker.user)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database keeps it too
        SurveyVote.objects.create(round=world.round, entry=vote.entry, household=household, satisfaction=2, channel="visit", recorded_by=people.grid_worker.user)
    assert list(SurveyVote.objects.filter(household=household).values_list("satisfaction", flat=True)) == [4]


def test_it_takes_survey_answers_only_from_the_household_or_its_grid_worker(world, people):
    household = world.households[1]
    with pytest.raises(PermissionDenied):
        survey_vote(rating_round=world.round, household=household, satisfaction=5, actor=people.resident.user)  # not their household
    with pytest.raises(PermissionDenied):
        survey_vote(rating_round=world.round, household=household, satisfaction=5, actor=people.other_grid_worker.user)
    with pytest.raises(ValidationError, match="1 至 5"):
        survey_vote(rating_round=world.round, household=household, satisfaction=6, actor=people.grid_worker.user)
    assert survey_vote(rating_round=world.round, household=household, satisfaction=5, actor=people.grid_worker.user).channel == "visit"


def _cases_at(building, people, count: int) -> list[Case]:
    category = Category.objects.filter(active=True, children__isnull=True).first()
    return [
        case_report(reporter=people.resident.user, category=category, description=f"楼道堆物 {i}", lon=building.lon, lat=building.lat, address=building.address)[0]
        for i in range(count)
    ]


def test_it_runs_a_round_from_inputs_to_publication(world, people):
    official, company_user = people.district_official.user, world.company_user
    building = world.market.buildings.order_by("pk").first()
    cases = _cases_at(building, people, 4)
    # Three closed (two on time, one rated 5 and one 3), one reopened: the record the inputs are computed from.
    Case.objects.filter(pk__in=[c.pk for c in cases[:3]]).update(status="closed", closed_at=timezone.now(), on_time=True)
    Case.objects.filter(pk=cases[2].pk).update(on_time=False, reopen_count=1)
    Case.objects.filter(pk=cases[0].pk).update(rating=5)
    Case.objects.filter(pk=cases[1].pk).update(rating=3)
    for household, satisfaction in zip(world.households[:2], (5, 4), strict=True):
        survey_vote(rating_round=world.round, household=household, satisfaction=satisfaction, actor=people.grid_worker.user)
    _to_scoring(world, people)
    market = _entry(world, world.market)
    score_record(entry=market, section=_section(world, "基础管理"), points=38, actor=official)
    score_record(entry=market, section=_section(world, "环境卫生"), points=18, actor=official)
    round_move(rating_round=world.round, to="review", actor=official)

    market.refresh_from_db()
    households = world.market.holdings.values_list("building__dwellings", flat=True).count()
    assert (market.cases, market.households) == (4, households)
    assert market.cases_per_100 == (Decimal(400) / households).quantize(Decimal("0.01"))
    assert (market.on_time_rate, market.reopen_rate, market.case_satisfaction) == (Decimal("0.6667"), Decimal("0.25"), Decimal(4))
    assert (market.survey_votes, market.survey_satisfaction) == (2, Decimal("4.5"))

    round_move(rating_round=world.round, to="publicity", actor=official)
    market.refresh_from_db()
    # 38 + 18 + 20 × (0.4 × 0.6667 + 0.3 × 0.75 + 0.3 × 4/5) + 20 × (4.5 − 1)/4 = 56 + 14.63 + 17.5
    assert market.total == Decimal("88.13") and market.stars == 3
    publicity = Disclosure.objects.get(pk=world.round.__class__.objects.get(pk=world.round.pk).disclosure_id)
    assert (publicity.kind, publicity.stage, publicity.subject_id) == ("rating", Stage.PUBLISHED, str(world.round.pk))
    assert "幸福家园" in publicity.body_text and "88.13" in publicity.body_text and "66.7%" in publicity.body_text

    with pytest.raises(PermissionDenied):
        objection_submit(entry=market, text="事件数统计有误", actor=world.other_company_user)
    objection = objection_submit(entry=market, text="第三件事件并非本小区", actor=company_user)
    with pytest.raises(ValidationError, match="1 条异议未答复"):
        round_move(rating_round=world.round, to="published", actor=official)
    with pytest.raises(PermissionDenied):
        objection_answer(objection=objection, answer="已核实", actor=people.subdistrict_official.user)
    objection_answer(objection=objection, answer="经核实，该事件地址位于本小区，维持原结果", actor=official)
    published = round_move(rating_round=world.round, to="published", actor=official)

    final = Disclosure.objects.get(pk=published.disclosure_id)
    assert final.stage == Stage.PUBLISHED and final.pk != publicity.pk and "已发布" in final.body_text
    steps = list(RatingRoundStep.objects.filter(round=world.round).values_list("to_status", "actor__username"))
    assert steps == [("open", "district_official"), ("scoring", "district_official"), ("review", "district_official"),
                     ("publicity", "district_official"), ("published", "district_official")]


def test_it_caps_the_stars_of_a_compound_with_a_veto_item(world, people):
    official = people.district_official.user
    _to_scoring(world, people)
    market = _entry(world, world.market)
    for name, points in (("基础管理", 40), ("环境卫生", 20)):
        score_record(entry=market, section=_section(world, name), points=points, actor=official)
    veto_find(entry=market, item=world.scheme.vetoes.get(name="重大安全事故"), note="电梯坠落致人受伤", actor=official)
    with pytest.raises(ValidationError, match="已经认定"):
        veto_find(entry=market, item=world.scheme.vetoes.get(name="重大安全事故"), note="重复", actor=official)
    round_move(rating_round=world.round, to="review", actor=official)
    round_move(rating_round=world.round, to="publicity", actor=official)
    market.refresh_from_db()
    assert market.total == Decimal(80) and market.stars == 1  # 80 points would be three stars
    assert VetoFinding.objects.get(entry=market).author == official


def test_it_refuses_round_moves_to_anyone_but_a_district_official_and_returns_with_a_reason(world, people):
    with pytest.raises(PermissionDenied):
        round_move(rating_round=world.round, to="scoring", actor=people.subdistrict_official.user)
    _to_scoring(world, people)
    round_move(rating_round=world.round, to="review", actor=people.district_official.user)
    with pytest.raises(ValidationError, match="须说明原因"):
        round_move(rating_round=world.round, to="scoring", actor=people.district_official.user)
    with pytest.raises(ValidationError, match="不能从"):
        round_move(rating_round=world.round, to="published", actor=people.district_official.user)
    assert round_move(rating_round=world.round, to="scoring", actor=people.district_official.user, reason="补充现场考评").status == "scoring"
