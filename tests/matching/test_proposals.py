"""Proposed matches over an area: the best pairs explained, what is left unmatched and why, and
nothing written until a fair adopts them."""

from tests.matching.making import need_in, resource_in
from wangge.matching.models import FairMatch, Need


def test_it_proposes_and_explains_each_pair_and_each_need_left(api, people):
    grid = people.home_grid
    hall = resource_in(grid, name="社区活动室", kind="venue", capacity=1, weekdays=[1, 2, 3, 4, 5], opens_at=8, closes_at=12)
    urgent = need_in(grid, urgency=5)
    later = need_in(grid, urgency=2)
    no_kind = need_in(grid, kind="expertise", category="法律服务")
    weekend = need_in(grid, wanted_weekdays=[6, 7])
    response = api.get("/api/matching/proposals", token=people.community_official.token, params={"max_distance_m": 5000})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["division_code"] == grid.community.code
    assert [(p["need_id"], p["resource_id"], p["quantity"]) for p in body["pairs"]] == [(urgent.pk, hall.pk, 1)]
    assert body["weight"] == 5
    text = body["pairs"][0]["explanation"]
    assert "「社区活动室」" in text and "5 公里以内" in text and "周一、二、三、四、五 08:00–12:00" in text and "剩余容量 0/1" in text
    reasons = {u["need_id"]: u["reason"] for u in body["unmatched"]}
    assert reasons[later.pk] == "5 公里内可对接的资源「社区活动室」容量已全部分给紧急程度不低于本需求（2）的需求"
    assert reasons[no_kind.pk] == "5 公里内没有可提供「智力」的资源"
    assert reasons[weekend.pk] == "5 公里内可提供「场地」的资源（1 处）服务时间都与需求时间不重合"
    portal_needs = Need.objects.filter(community_code=grid.community.code, lon__isnull=True, state="new")
    assert all("未标注位置" in reasons[n.pk] for n in portal_needs)
    assert not FairMatch.objects.exists() and Need.objects.get(pk=urgent.pk).state == "new"


def test_it_proposes_only_over_an_area_of_the_callers_subtree(api, people):
    other = api.get("/api/matching/proposals", token=people.community_official.token, params={"division_code": people.other_grid.community.code})
    assert other.status_code == 404 and other.json()["detail"] == "未找到该对象"
    assert api.get("/api/matching/proposals", token=people.grid_worker.token).status_code == 403
    unnamed = api.get("/api/matching/proposals", token=people.district_official.token)
    assert unnamed.status_code == 400 and unnamed.json()["errors"] == [{"field": "division_code", "reason": "请选择社区或街道"}]
    too_far = api.get("/api/matching/proposals", token=people.community_official.token, params={"max_distance_m": 10**9})
    assert too_far.status_code == 422 and too_far.json()["errors"][0]["field"] == "max_distance_m"


def test_a_resource_of_another_area_is_not_proposed(api, people):
    need_in(people.home_grid)
    elsewhere = resource_in(people.other_grid)
    body = api.get("/api/matching/proposals", token=people.district_official.token, params={"division_code": people.home_grid.community.code}).json()
    assert elsewhere.pk not in {p["resource_id"] for p in body["pairs"]}
