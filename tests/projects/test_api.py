"""Service projects over real HTTP: the back office's scoped reads and writes, the portal's
public reads, objections and ballots, and the one error shape."""

from datetime import timedelta

from django.utils import timezone

from tests.projects.conftest import draft, in_notice, notice_over, proposed
from wangge.projects.models import Category, Project, Voter


def _create_body(world, **extra) -> dict:
    return {"title": "四点半课堂", "category_id": world.category.pk, "community_code": world.community, "scope": "放学后托管辅导", "year": 2026} | extra


def test_it_drafts_edits_and_moves_a_project_by_name(api, people, world):
    token = people.community_official.token
    created = api.post("/api/projects", token=token, json=_create_body(world, need_ids=[world.need.pk]))
    assert created.status_code == 201, created.text
    project = created.json()
    assert (project["status"], project["need_ids"], project["number"][:2]) == ("draft", [world.need.pk], "XM")
    edited = api.patch(f"/api/projects/{project['id']}", token=token, json={"title": "四点半课堂（暑期）"})
    assert edited.json()["title"] == "四点半课堂（暑期）"
    moved = api.post(f"/api/projects/{project['id']}/move", token=token, json={"to": "proposed"})
    assert moved.status_code == 200 and moved.json()["steps"][-1]["to_status"] == "proposed"
    assert Project.objects.get(pk=project["id"]).status == "proposed"


def test_it_answers_refusals_in_the_one_error_shape(api, people, world):
    project = in_notice(people, world)
    refused = api.post(f"/api/projects/{project.pk}/move", token=people.subdistrict_official.token, json={"to": "filed"})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "to：公示期未满，不能备案", "errors": [{"field": "to", "reason": "公示期未满，不能备案"}]}
    wrong_actor = api.post(f"/api/projects/{project.pk}/move", token=people.community_official.token, json={"to": "filed"})
    assert wrong_actor.status_code == 403 and wrong_actor.json()["detail"] == "此操作须由街道干部办理"
    bad = api.post("/api/projects", token=people.community_official.token, json=_create_body(world, title="   "))
    assert bad.status_code == 400 and bad.json()["errors"] == [{"field": "title", "reason": "请填写项目名称"}]
    missing = api.post("/api/projects", token=people.community_official.token, json={"title": "x"})
    assert missing.status_code == 422 and missing.json()["detail"].startswith("请求参数无效")
    unknown = api.post(f"/api/projects/{project.pk}/move", token=people.community_official.token, json={"name": "teleport"})
    assert unknown.status_code == 400 and "未知的操作" in unknown.json()["detail"]
    assert Project.objects.get(pk=project.pk).status == "notice"


def test_it_shows_officials_their_subtree_and_others_nothing(api, people, world):
    project = draft(people, world)
    for persona in ("district_official", "subdistrict_official", "community_official"):
        listed = api.get("/api/projects", token=getattr(people, persona).token).json()
        assert [p["id"] for p in listed["items"]] == [project.pk], persona
    # The other grid's worker stands in another subdistrict: the project is as good as missing.
    for persona in ("grid_worker", "resident", "department_handler"):
        assert api.get("/api/projects", token=getattr(people, persona).token).status_code == 403
        assert api.get(f"/api/projects/{project.pk}", token=getattr(people, persona).token).status_code == 403


def test_out_of_scope_officials_meet_a_missing_project(api, people, world):
    from wangge.accounts.auth import token_issue
    from wangge.accounts.models import Role, User

    other = people.other_grid.community
    stranger = User.objects.create(username="stranger", role=Role.COMMUNITY_OFFICIAL, scope_code=other.code)
    token = token_issue(user=stranger)
    project = proposed(people, world)
    for method, path, body in (
        ("get", f"/api/projects/{project.pk}", None), ("patch", f"/api/projects/{project.pk}", {"title": "改名"}),
        ("post", f"/api/projects/{project.pk}/move", {"to": "notice"}),
    ):
        response = api.request(method, path, token=token, json=body)
        assert (response.status_code, response.json()["detail"]) == (404, "未找到该对象"), path
    assert Project.objects.get(pk=project.pk).title == "老年助餐点"
    assert api.get("/api/projects", token=token).json()["items"] == []


def test_the_public_sees_projects_from_their_notice_on(api, people, world):
    hidden, shown = proposed(people, world), in_notice(people, world)
    listed = api.get("/api/projects/public").json()["items"]
    assert [p["id"] for p in listed] == [shown.pk]
    assert api.get(f"/api/projects/public/{hidden.pk}").status_code == 404
    public = api.get(f"/api/projects/public/{shown.pk}").json()
    assert public["notice_id"] == shown.notice_id
    assert not {"need_ids", "case_ids", "unanswered_objections", "steps"} & set(public)  # the back office's links stay there


def test_an_anonymous_objection_blocks_filing_until_answered(api, people, world):
    project = in_notice(people, world)
    lodged = api.post(f"/api/projects/public/{project.pk}/objections", json={"text": "活动场地占用消防通道"})
    assert lodged.status_code == 201 and lodged.json()["number"].startswith("YY")
    notice_over(project)
    subdistrict, community = people.subdistrict_official.token, people.community_official.token
    refused = api.post(f"/api/projects/{project.pk}/move", token=subdistrict, json={"to": "filed"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["reason"] == "尚有未答复的异议，不能备案"
    pending = api.get(f"/api/projects/{project.pk}/objections", token=community).json()
    assert [(o["number"], o["state"]) for o in pending] == [(lodged.json()["number"], "pending")]
    assert api.get(f"/api/projects/public/{project.pk}/objections").json() == []
    answered = api.post(f"/api/projects/{project.pk}/objections/{pending[0]['id']}/answer", token=community, json={"answer": "已改到广场东侧，不占通道"})
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    assert api.get(f"/api/projects/public/{project.pk}/objections").json()[0]["answer"] == "已改到广场东侧，不占通道"
    filed = api.post(f"/api/projects/{project.pk}/move", token=subdistrict, json={"to": "filed"})
    assert filed.status_code == 200 and filed.json()["status"] == "filed"


def test_it_refuses_objections_outside_the_notice(api, people, world):
    project = proposed(people, world)
    assert api.post(f"/api/projects/public/{project.pk}/objections", json={"text": "不同意"}).status_code == 404
    in_notice_project = in_notice(people, world)
    empty = api.post(f"/api/projects/public/{in_notice_project.pk}/objections", json={"text": "  "})
    assert empty.status_code == 400 and empty.json()["errors"] == [{"field": "text", "reason": "请填写异议内容"}]


def test_it_limits_objections_per_address(api, people, world):
    from wangge.portal.views.common import SUBMISSIONS_PER_HOUR

    project = in_notice(people, world)
    answers = [api.post(f"/api/projects/public/{project.pk}/objections", json={"text": f"异议{n}"}).status_code for n in range(SUBMISSIONS_PER_HOUR + 1)]
    assert answers == [201] * SUBMISSIONS_PER_HOUR + [429]
    assert project.notice.objections.count() == SUBMISSIONS_PER_HOUR


def test_a_resident_votes_once_over_http_and_an_outsider_meets_a_missing_round(api, people, world):
    official = people.community_official.token
    projects = [proposed(people, world, title=f"项目{n}") for n in range(2)]
    now = timezone.now()
    body = {
        "community_code": world.community, "title": "微项目投票", "budget_fen": 1_000_000, "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=3)).isoformat(), "entries": [{"project_id": p.pk, "cost_fen": 400_000} for p in projects],
    }
    created = api.post("/api/projects/rounds", token=official, json=body)
    assert created.status_code == 201, created.text
    round_id = created.json()["id"]
    assert api.get(f"/api/projects/public/rounds/{round_id}").status_code == 404  # not open yet
    assert api.post(f"/api/projects/rounds/{round_id}/move", token=official, json={"to": "open"}).json()["status"] == "open"
    sheet = api.get(f"/api/projects/public/rounds/{round_id}").json()
    choice = sheet["entries"][0]["id"]
    assert sheet["entries"][0]["votes"] is None  # no running tally while the vote is open
    assert api.post(f"/api/projects/public/rounds/{round_id}/ballot", token=world.voter.token, json={"choices": [choice]}).status_code == 201
    again = api.post(f"/api/projects/public/rounds/{round_id}/ballot", token=world.voter.token, json={"choices": [choice]})
    assert again.status_code == 400 and again.json()["errors"][0]["reason"] == "您已在本轮投票中投过票，每人只能投一票"
    outsider = api.post(f"/api/projects/public/rounds/{round_id}/ballot", token=world.outsider.token, json={"choices": [choice]})
    assert (outsider.status_code, outsider.json()["detail"]) == (404, "未找到该对象")
    assert api.post(f"/api/projects/public/rounds/{round_id}/ballot", json={"choices": [choice]}).status_code == 401
    assert Voter.objects.filter(round_id=round_id).count() == 1
    api.post(f"/api/projects/rounds/{round_id}/move", token=official, json={"to": "closed"})
    results = api.post(f"/api/projects/rounds/{round_id}/move", token=official, json={"to": "counted"}).json()
    assert results["counted"] and results["voters"] == 1 and results["turnout_percent"] > 0
    assert [(e["id"], e["votes"], e["won"]) for e in results["entries"]][0] == (choice, 1, True)
    assert api.get(f"/api/projects/public/rounds/{round_id}").json()["entries"] == results["entries"]
    assert [r["id"] for r in api.get("/api/projects/public/rounds", params={"community_code": world.community}).json()["items"]] == [round_id]
    assert [r["id"] for r in api.get("/api/projects/rounds", token=official).json()["items"]] == [round_id]
    assert api.get("/api/projects/rounds", token=people.other_grid_worker.token).status_code == 403


def test_only_district_wide_officials_keep_categories(api, people, world):
    body = {"code": "health", "name": "健康服务类"}
    for persona in ("subdistrict_official", "community_official"):
        assert api.post("/api/projects/categories", token=getattr(people, persona).token, json=body).status_code == 403
    added = api.post("/api/projects/categories", token=people.district_official.token, json=body)
    assert added.status_code == 201 and added.json()["code"] == "health"
    twice = api.post("/api/projects/categories", token=people.district_official.token, json=body)
    assert twice.status_code == 400 and "已有名为「健康服务类」" in twice.json()["detail"]
    off = api.patch(f"/api/projects/categories/{world.category.pk}", token=people.district_official.token, json={"active": False})
    assert off.json()["active"] is False
    assert api.patch(f"/api/projects/categories/{world.category.pk}", token=people.community_official.token, json={"active": True}).status_code == 403
    assert Category.objects.count() == 9
    refused = api.post("/api/projects", token=people.community_official.token, json=_create_body(world))
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "category"


def test_the_eight_categories_are_seeded(db):
    names = list(Category.objects.order_by("order").values_list("name", flat=True))
    assert names == ["生活服务类", "帮扶救济类", "场所共享类", "文体活动类", "为老助幼类", "平安建设类", "环境美化类", "能力提升类"]
