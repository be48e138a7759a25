"""Deliberations over real HTTP: the steps and their refusals in the one error shape, the
sitting without quorum answered with the rule it failed, and the scope."""

from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.matching.models import Deliberation


def _opened(api, people) -> dict:
    response = api.post("/api/deliberations", token=people.community_official.token,
                        json={"title": "小区停车位划线", "matter": "东门空地划线停车", "community_code": people.home_grid.community.code})
    assert response.status_code == 201, response.text
    return response.json()


def test_it_carries_a_matter_to_a_meeting_and_reconvenes_without_quorum(api, people):
    token = people.community_official.token
    d = _opened(api, people)
    base = f"/api/deliberations/{d['id']}"
    refused = api.post(f"{base}/moves", token=token, json={"to": "proposed", "text": "划线停车位 40 个"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "to" and "须先征集意见" in refused.json()["detail"]
    assert api.post(f"{base}/opinions", token=token, json={"address": "5号楼301", "summary": "支持", "name": "张伟"}).status_code == 201
    assert api.post(f"{base}/moves", token=token, json={"to": "proposed", "text": "划线停车位 40 个"}).json()["status"] == "proposed"
    skipped = api.post(f"{base}/meetings", token=token, json={"kind": "residents", "held_on": "2026-01-05", "members": 10, "present": 10, "votes_for": 10})
    assert skipped.status_code == 400 and "须先完成商议" in skipped.json()["detail"]
    assert api.post(f"{base}/consultations", token=token, json={"unit": "物业服务企业", "summary": "同意"}).status_code == 201
    assert api.post(f"{base}/moves", token=token, json={"to": "consulted"}).json()["status"] == "consulted"
    sitting = api.post(f"{base}/meetings", token=token, json={"kind": "residents", "held_on": "2026-01-05", "members": 40, "present": 20, "votes_for": 20})
    assert sitting.status_code == 201
    assert sitting.json()["outcome"] == "no_quorum" and "未达法定人数（应到 40 人，实到 20 人，须过半数），不能形成决议" in sitting.json()["note"]
    detail = api.get(base, token=token).json()
    assert detail["status"] == "consulted" and len(detail["meetings"]) == 1
    again = api.post(f"{base}/meetings", token=token, json={"kind": "residents", "held_on": "2026-01-06", "members": 40, "present": 21, "votes_for": 11})
    assert again.json()["outcome"] == "adopted"
    detail = api.get(base, token=token).json()
    assert detail["status"] == "resolved" and detail["resolution"] == "划线停车位 40 个"
    assert [m["to"] for m in detail["moves"]] == ["publicity"]
    assert [s["to_status"] for s in detail["steps"]] == ["soliciting", "proposed", "consulted", "resolved"]
    assert "张伟" not in api.get(base, token=token).text  # the name is kept encrypted, not shown


def test_bad_input_is_refused_by_field_in_the_error_shape(api, people):
    token = people.community_official.token
    d = _opened(api, people)
    empty = api.post(f"/api/deliberations/{d['id']}/opinions", token=token, json={"address": "", "summary": "支持"})
    assert empty.status_code == 400 and empty.json()["errors"] == [{"field": "address", "reason": "请填写户址"}]
    not_a_number = api.post(f"/api/deliberations/{d['id']}/meetings", token=token, json={"kind": "residents", "held_on": "2026-01-05", "members": "many", "present": 1})
    assert not_a_number.status_code == 422 and "members" in not_a_number.json()["detail"]
    unknown = api.post(f"/api/deliberations/{d['id']}/moves", token=token, json={"to": "finished"})
    assert unknown.status_code == 400 and unknown.json()["detail"] == "to：未知的状态：finished"
    far = api.post("/api/deliberations", token=token, json={"title": "议题", "matter": "说明", "community_code": people.other_grid.community.code})
    assert far.status_code == 400 and far.json()["errors"] == [{"field": "community_code", "reason": "请选择所辖社区"}]
    assert Deliberation.objects.filter(community_code=people.other_grid.community.code).count() == 0


def test_out_of_scope_answers_as_missing_and_other_roles_are_refused(api, people):
    d = _opened(api, people)
    other = User.objects.create(username="other_community", role=Role.COMMUNITY_OFFICIAL, scope_code=people.other_grid.community.code)
    other_token = token_issue(user=other)
    for method, path, body in (("get", "", None), ("post", "/opinions", {"address": "1号楼", "summary": "反对"}), ("post", "/moves", {"to": "proposed", "text": "x"})):
        response = api.request(method, f"/api/deliberations/{d['id']}{path}", token=other_token, json=body)
        missing = api.request(method, f"/api/deliberations/987654321{path}", token=other_token, json=body)
        assert (response.status_code, response.json()) == (missing.status_code, missing.json()) == (404, {"detail": "未找到该对象", "errors": []})
    assert api.get("/api/deliberations", token=other_token).json()["count"] == 0
    assert api.get("/api/deliberations", token=people.subdistrict_official.token).json()["count"] == 1
    for persona in (people.grid_worker, people.resident):
        assert api.get(f"/api/deliberations/{d['id']}", token=persona.token).status_code == 403
    assert Deliberation.objects.get(pk=d["id"]).opinions.count() == 0
