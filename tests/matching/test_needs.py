"""Needs: stated on the portal or gathered by a grid worker in their grid, moved along their
recorded workflow (new → matched → served → closed, or declined with a reason)."""

from django.test import Client

from tests.matching.making import need_in, need_values
from wangge.matching.models import Need, NeedStep


def test_the_portal_form_still_files_a_need_with_its_kind_from_the_category(people):
    community = people.home_grid.community.code
    response = Client().post("/services/need", {"category": "助残服务", "description": "需要轮椅", "community_code": community, "name": "李四", "phone": "13800138001"})
    assert response.status_code == 200
    need = Need.objects.get(description="需要轮椅")
    assert (need.kind, need.beneficiary, need.quantity, need.urgency, need.state, need.source) == ("service", "disabled", 1, 3, "new", "portal")


def test_a_grid_worker_gathers_needs_in_their_grid_only(api, people):
    made = api.post("/api/matching/needs", token=people.grid_worker.token, json=need_values(people.home_grid, quantity=4, urgency=5))
    assert made.status_code == 201, made.text
    assert (made.json()["grid_code"], made.json()["source"], made.json()["quantity"]) == (people.home_grid.code, "grid", 4)
    assert "13800138000" not in str(made.json())
    outside = api.post("/api/matching/needs", token=people.grid_worker.token, json=need_values(people.other_grid))
    assert outside.status_code == 400 and outside.json()["errors"][0]["field"] == "lon"
    mine = {n["id"] for n in api.get("/api/matching/needs", token=people.grid_worker.token).json()["items"]}
    theirs = {n["id"] for n in api.get("/api/matching/needs", token=people.other_grid_worker.token).json()["items"]}
    assert made.json()["id"] in mine and made.json()["id"] not in theirs
    assert api.get(f"/api/matching/needs/{made.json()['id']}", token=people.other_grid_worker.token).status_code == 404


def test_bad_need_input_names_the_field(api, people):
    before = Need.objects.count()
    for change, field in (({"urgency": 6}, "urgency"), ({"quantity": 0}, "quantity"), ({"kind": "x"}, "kind"), ({"category": "x"}, "category"),
                          ({"beneficiary": "x"}, "beneficiary"), ({"wanted_from": 20, "wanted_until": 9}, "wanted_until")):
        response = api.post("/api/matching/needs", token=people.grid_worker.token, json=need_values(people.home_grid, **change))
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field, (change, response.text)
    assert Need.objects.count() == before


def test_a_need_moves_along_its_workflow_and_each_move_is_recorded(api, people):
    need = need_in(people.home_grid)
    official = people.community_official.token
    for to in ("matched", "served", "closed"):
        moved = api.post(f"/api/matching/needs/{need.pk}/transition", token=official, json={"to": to})
        assert moved.status_code == 200 and moved.json()["state"] == to, moved.text
    detail = api.get(f"/api/matching/needs/{need.pk}", token=official).json()
    assert [(s["from_status"], s["to_status"]) for s in detail["steps"]] == [("new", "matched"), ("matched", "served"), ("served", "closed")]
    assert detail["steps"][0]["actor"] == "community_official" and detail["moves"] == []


def test_it_refuses_a_skipped_step_a_decline_without_reason_and_moves_by_others(api, people):
    need = need_in(people.home_grid)
    skipped = api.post(f"/api/matching/needs/{need.pk}/transition", token=people.community_official.token, json={"to": "closed"})
    assert skipped.status_code == 400 and skipped.json()["errors"] == [{"field": "to", "reason": "不能从「已登记」转为「已办结」"}]
    silent = api.post(f"/api/matching/needs/{need.pk}/transition", token=people.community_official.token, json={"to": "declined"})
    assert silent.status_code == 400 and silent.json()["errors"][0]["reason"] == "不予受理时须说明原因"
    assert api.post(f"/api/matching/needs/{need.pk}/transition", token=people.grid_worker.token, json={"to": "matched"}).status_code == 403
    outsider = api.post(f"/api/matching/needs/{need.pk}/transition", token=people.other_grid_worker.token, json={"to": "matched"})
    assert outsider.status_code == 403
    assert Need.objects.get(pk=need.pk).state == "new" and not NeedStep.objects.filter(need=need).exists()
    declined = api.post(f"/api/matching/needs/{need.pk}/transition", token=people.community_official.token, json={"to": "declined", "reason": "不属于社区服务范围"})
    assert declined.status_code == 200 and NeedStep.objects.get(need=need).reason == "不属于社区服务范围"


def test_an_official_out_of_scope_finds_no_need(api, people):
    need = need_in(people.other_grid)
    response = api.post(f"/api/matching/needs/{need.pk}/transition", token=people.community_official.token, json={"to": "matched"})
    assert response.status_code == 404 and need.number not in str(response.json())
    assert Need.objects.get(pk=need.pk).state == "new"
