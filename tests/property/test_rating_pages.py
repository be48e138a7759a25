"""The rating's pages through the Django test client and its API over HTTP: who sees which page,
the scoring refusal shown in Chinese, a company's own results (others 404), the survey on the
portal, and the published results with each company's history."""

import pytest

from tests.property.rating_world import build_world
from wangge.people.models import Person
from wangge.property.models.rating import RatingEntry, SurveyVote
from wangge.property.rating.services import objection_submit, round_move, score_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people):
    return build_world(people)


def _as(client, user):
    client.force_login(user)
    return client


def _entry(world, compound) -> RatingEntry:
    return RatingEntry.objects.get(round=world.round, compound=compound)


def _publish(world, people):
    official = people.district_official.user
    round_move(rating_round=world.round, to="scoring", actor=official)
    for section, points in ((world.scheme.sections.get(name="基础管理"), 36), (world.scheme.sections.get(name="环境卫生"), 17)):
        score_record(entry=_entry(world, world.market), section=section, points=points, actor=official)
    for to in ("review", "publicity", "published"):
        round_move(rating_round=world.round, to=to, actor=official)


@pytest.mark.parametrize("persona, status", [("district_official", 200), ("subdistrict_official", 200), ("grid_worker", 403), ("resident", 403)])
def test_the_rounds_page_is_for_officials(client, people, world, persona, status):
    response = _as(client, getattr(people, persona).user).get("/property/ratings")
    assert response.status_code == status
    if status == 200:
        assert f"{world.round.year}年度" in response.content.decode()
        assert ("发起评定" in response.content.decode()) == (persona == "district_official")


def test_a_subdistrict_official_is_refused_scoring_a_market_compound_on_its_page(client, people, world):
    round_move(rating_round=world.round, to="scoring", actor=people.district_official.user)
    entry, section = _entry(world, world.market), world.scheme.sections.get(name="基础管理")
    page = _as(client, people.subdistrict_official.user).get(f"/property/ratings/entries/{entry.pk}")
    assert page.status_code == 200 and 'id="score-form"' not in page.content.decode()
    refused = client.post(f"/property/ratings/entries/{entry.pk}", {"action": "score", "section": section.pk, "points": "30"})
    assert refused.status_code == 400 and "市场化物业由区级评定" in refused.content.decode()
    assert not entry.scores.exists()
    done = _as(client, people.district_official.user).post(f"/property/ratings/entries/{entry.pk}", {"action": "score", "section": section.pk, "points": "30"})
    assert done.status_code == 302 and entry.scores.get().author == people.district_official.user


def test_an_entry_out_of_scope_answers_404(client, people, world):
    entry = _entry(world, world.market)
    other_subdistrict = people.other_grid.community.parent.code
    people.subdistrict_official.user.scope_code = other_subdistrict
    people.subdistrict_official.user.save(update_fields=["scope_code"])
    if world.market.community.code.startswith(other_subdistrict[:9]):
        pytest.skip("the demo's first and last grids share a subdistrict")
    assert _as(client, people.subdistrict_official.user).get(f"/property/ratings/entries/{entry.pk}").status_code == 404


def test_a_company_sees_only_its_own_results_and_objects_during_publicity(client, people, world):
    official = people.district_official.user
    for to in ("scoring", "review", "publicity"):
        round_move(rating_round=world.round, to=to, actor=official)
    entry = _entry(world, world.market)
    mine = _as(client, world.company_user).get("/property/ratings/mine")
    assert mine.status_code == 200 and "幸福家园" in mine.content.decode() and "objection-form" in mine.content.decode()
    theirs = _as(client, world.other_company_user)
    assert "幸福家园" not in theirs.get("/property/ratings/mine").content.decode()
    assert theirs.get(f"/property/ratings/entries/{entry.pk}").status_code == 404
    assert theirs.post("/property/ratings/mine", {"entry": entry.pk, "text": "冒名异议"}).status_code == 404
    assert _as(client, world.company_user).post("/property/ratings/mine", {"entry": entry.pk, "text": "事件统计有误"}).status_code == 302
    assert list(entry.objections.values_list("text", flat=True)) == ["事件统计有误"]
    round_page = _as(client, official).get(f"/property/ratings/{world.round.pk}").content.decode()
    assert "事件统计有误" in round_page and 'name="answer"' in round_page


def test_a_resident_answers_the_survey_on_the_portal_once(client, people, world):
    household = world.households[0]
    person = Person.objects.filter(household=household).first()
    person.user = people.resident.user
    person.save(update_fields=["user"])
    assert client.get("/ratings/survey").status_code == 302  # sign in first
    page = _as(client, people.resident.user).get("/ratings/survey").content.decode()
    assert "幸福家园" in page and "survey-form" in page
    assert client.post("/ratings/survey", {"satisfaction": "4"}).status_code == 302
    again = client.post("/ratings/survey", {"satisfaction": "5"})
    assert again.status_code == 400 and "每户只能投一票" in again.content.decode()
    assert list(SurveyVote.objects.filter(household=household).values_list("satisfaction", "channel")) == [(4, "portal")]
    assert "已参加" in client.get("/ratings/survey").content.decode()


def test_a_resident_outside_the_rated_compounds_is_told_so(client, people, world):
    page = _as(client, people.other_grid_worker.user).get("/ratings/survey").content.decode()
    assert "不在本次参评的小区内" in page


def test_the_portal_shows_published_results_with_their_inputs_and_history(client, api, people, world):
    assert "暂无已发布的评定结果" in client.get("/ratings").content.decode()
    _publish(world, people)
    entry = _entry(world, world.market)
    page = client.get("/ratings").content.decode()
    assert "幸福家园" in page and str(entry.total) in page and "甲物业服务有限公司" in page and 'id="black-list"' in page
    history = api.get(f"/api/ratings/companies/{world.company.pk}/history")
    assert history.status_code == 200
    body = history.json()
    assert body["company"] == "甲物业服务有限公司"
    assert [(r["year"], r["compound"], r["stars"]) for r in body["results"]] == [(world.round.year, "幸福家园", entry.stars)]
    assert api.get("/api/ratings/companies/999999/history").status_code == 404


def test_the_history_api_shows_nothing_of_a_round_not_yet_published(api, people, world):
    official = people.district_official.user
    for to in ("scoring", "review", "publicity"):
        round_move(rating_round=world.round, to=to, actor=official)
    objection_submit(entry=_entry(world, world.market), text="异议", actor=world.company_user)
    assert api.get(f"/api/ratings/companies/{world.company.pk}/history").json()["results"] == []
