"""A service project in one step: from a fair's signed match (carrying its need and resource),
and from a deliberation's resolution (which it then names); over the real API."""

import pytest

from tests.matching.deliberation.steps import Steps
from tests.matching.making import need_in, provider, resource_in
from tests.projects.conftest import community_official_of
from wangge.matching.fair.services import (
    fair_create,
    fair_move,
    fair_propose,
    match_confirm,
    match_sign,
)
from wangge.matching.kinds import Kind
from wangge.matching.models import Deliberation, FairMatch
from wangge.projects.models import Category, Project, ProjectLink
from wangge.projects.services.origins import KIND_CATEGORIES

D = Deliberation.Status


def agreed_match(people, grid, *, kind: str = "venue") -> FairMatch:
    """A match of the grid's need and resource, confirmed by both sides, at a fair in its signing phase."""
    official = community_official_of(grid.community.code)
    seller = provider(f"provider_{grid.code}")
    resource = resource_in(grid, owner=seller.user, kind=kind, capacity=3, name="社区活动室")
    need = need_in(grid, kind=kind, quantity=2, urgency=4)
    fair = fair_create(actor=official, title="社区社洽会", division_code=grid.community.code, held_on="2026-12-20", max_distance_m=5000)
    for to in ("published", "presenting", "matching"):
        fair = fair_move(actor=official, fair_id=fair.pk, to=to)
    matches, _ = fair_propose(actor=official, fair_id=fair.pk)
    match = next(m for m in matches if m.need_id == need.pk and m.resource_id == resource.pk)
    match_confirm(actor=seller.user, match_id=match.pk, side="resource")
    match_confirm(actor=official, match_id=match.pk, side="need")
    fair_move(actor=official, fair_id=fair.pk, to="signing")
    return FairMatch.objects.get(pk=match.pk)


def signed_match(people, grid, **kw) -> FairMatch:
    match = agreed_match(people, grid, **kw)
    return match_sign(actor=community_official_of(grid.community.code), match_id=match.pk)


def _reason(response) -> str:
    return response.json()["errors"][0]["reason"]


def test_a_signed_match_becomes_a_draft_carrying_its_need_and_resource(api, people):
    match = signed_match(people, people.home_grid)
    response = api.post(f"/api/projects/from/match/{match.pk}", token=people.community_official.token)
    assert response.status_code == 201, response.text
    out = response.json()
    project = Project.objects.get(pk=out["id"])
    assert (project.status, project.origin, project.community_code) == ("draft", "match", people.home_grid.community.code)
    assert project.category.code == "venue-sharing" and out["need_ids"] == [match.need_id]
    assert "社区活动室" in project.title and match.need.number in project.scope and "区图书馆" in project.scope
    assert {(link["kind"], link["target_id"]) for link in out["links"]} == {("match", str(match.pk)), ("resource", str(match.resource_id))}
    match.refresh_from_db()
    assert (match.status, match.project_number) == ("converted", project.number)
    assert match.steps.order_by("-at", "-pk").first().actor == people.community_official.user
    again = api.post(f"/api/projects/from/match/{match.pk}", token=people.community_official.token)
    assert again.status_code == 400 and "已转为服务项目" in _reason(again)
    assert Project.objects.count() == 1


def test_a_match_not_yet_signed_makes_nothing(api, people):
    match = agreed_match(people, people.home_grid)
    response = api.post(f"/api/projects/from/match/{match.pk}", token=people.community_official.token)
    assert response.status_code == 400 and "只有已签约的对接" in _reason(response) and "双方达成意向" in _reason(response)
    match.refresh_from_db()
    assert (match.status, match.project_number, Project.objects.count()) == ("agreed", "", 0)


def test_out_of_scope_answers_as_missing_and_other_roles_are_refused(api, people):
    mine, theirs = signed_match(people, people.home_grid), signed_match(people, people.other_grid)
    missing = api.post("/api/projects/from/match/999999", token=people.community_official.token)
    out_of_scope = api.post(f"/api/projects/from/match/{theirs.pk}", token=people.community_official.token)
    assert (missing.status_code, out_of_scope.status_code) == (404, 404) and missing.json() == out_of_scope.json()
    assert api.post(f"/api/projects/from/match/{mine.pk}", token=people.grid_worker.token).status_code == 403
    assert api.post(f"/api/projects/from/match/{mine.pk}", token=people.resident.token).status_code == 403
    # The subdistrict sees the match, but drafting a project is the community's party organisation's.
    by_subdistrict = api.post(f"/api/projects/from/match/{mine.pk}", token=people.subdistrict_official.token)
    assert by_subdistrict.status_code == 403 and "社区" in by_subdistrict.json()["detail"]
    assert Project.objects.count() == 0
    assert set(FairMatch.objects.values_list("status", flat=True)) == {"signed"}


def test_every_kind_of_need_leads_to_a_category_the_district_keeps(db):
    assert set(KIND_CATEGORIES) == set(Kind)
    assert set(KIND_CATEGORIES.values()) <= set(Category.objects.values_list("code", flat=True))


@pytest.mark.parametrize(("kind", "category"), [("materials", "assistance"), ("expertise", "capacity")])
def test_the_category_follows_the_needs_kind(api, people, kind, category):
    match = signed_match(people, people.home_grid, kind=kind)
    response = api.post(f"/api/projects/from/match/{match.pk}", token=people.community_official.token)
    assert Project.objects.get(pk=response.json()["id"]).category.code == category


def test_a_resolution_decides_a_project_that_names_it(api, people):
    steps = Steps(people)
    consulted = steps.at(D.CONSULTED)
    early = api.post(f"/api/projects/from/resolution/{consulted.pk}", token=people.community_official.token)
    assert early.status_code == 400 and "尚未形成决议" in _reason(early) and Project.objects.count() == 0
    resolved = steps.advance(consulted, D.RESOLVED)
    environment = Category.objects.get(code="environment")
    response = api.post(f"/api/projects/from/resolution/{resolved.pk}", token=people.community_official.token, json={"category_id": environment.pk})
    assert response.status_code == 201, response.text
    project = Project.objects.get(pk=response.json()["id"])
    assert (project.status, project.origin, project.title, project.category) == ("draft", "deliberation", "加装电梯议事", environment)
    assert resolved.number in project.scope and resolved.resolution and resolved.resolution in project.scope
    assert list(ProjectLink.objects.filter(project=project).values_list("kind", "target_id")) == [("deliberation", str(resolved.pk))]
    again = api.post(f"/api/projects/from/resolution/{resolved.pk}", token=people.community_official.token)
    assert again.status_code == 400 and "已决定服务项目" in _reason(again) and Project.objects.count() == 1


def test_a_resolution_out_of_scope_answers_as_missing(api, people):
    resolved = Steps(people).at(D.RESOLVED)
    stranger = community_official_of(people.other_grid.community.code)
    from wangge.accounts.auth import token_issue

    response = api.post(f"/api/projects/from/resolution/{resolved.pk}", token=token_issue(user=stranger))
    missing = api.post("/api/projects/from/resolution/999999", token=token_issue(user=stranger))
    assert (response.status_code, response.json()) == (404, missing.json())
    assert api.post(f"/api/projects/from/resolution/{resolved.pk}", token=people.grid_worker.token).status_code == 403
    assert Project.objects.count() == 0
