"""A fair end to end over the API: published, presented, matched, both sides confirm, signed
(its need moves to matched), converted through the hook service projects use."""

import pytest
from django.core.exceptions import ValidationError

from tests.matching.making import need_in, provider, resource_in
from wangge.matching.fair.selectors import signed_match
from wangge.matching.fair.services import mark_converted
from wangge.matching.models import FairMatch, FairMatchStep, Need


def _fair(api, people, **changes):
    payload = {"title": "顺河路社区社洽会", "division_code": people.home_grid.community.code, "held_on": "2026-12-20", "max_distance_m": 5000, **changes}
    return api.post("/api/matching/fairs", token=people.community_official.token, json=payload)


def _move(api, token, fair_id, *targets):
    for to in targets:
        response = api.post(f"/api/matching/fairs/{fair_id}/transition", token=token, json={"to": to})
        assert response.status_code == 200, response.text
    return response


def test_a_fair_runs_end_to_end(api, people):
    official = people.community_official.token
    seller, stranger = provider("provider_a"), provider("provider_b")
    resource = resource_in(people.home_grid, owner=seller.user, capacity=3)
    need = need_in(people.home_grid, quantity=2, urgency=4)
    fair = _fair(api, people).json()
    early = api.post(f"/api/matching/fairs/{fair['id']}/proposals", token=official)
    assert early.status_code == 400 and "供需匹配" in early.json()["errors"][0]["reason"]
    _move(api, official, fair["id"], "published", "presenting", "matching")
    proposed = api.post(f"/api/matching/fairs/{fair['id']}/proposals", token=official)
    assert proposed.status_code == 200, proposed.text
    match = next(m for m in proposed.json()["matches"] if m["need_id"] == need.pk)
    assert (match["resource_id"], match["quantity"], match["status"]) == (resource.pk, 2, "proposed") and "剩余容量 1/3" in match["explanation"]
    assert [f["id"] for f in api.get("/api/matching/fairs", token=seller.token).json()["items"]] == [fair["id"]]
    assert api.get(f"/api/matching/matches/{match['id']}", token=stranger.token).status_code == 404
    assert api.post(f"/api/matching/matches/{match['id']}/confirm", token=seller.token, json={"side": "need"}).status_code == 403
    assert api.post(f"/api/matching/matches/{match['id']}/confirm", token=seller.token, json={"side": "resource"}).json()["status"] == "resource_confirmed"
    agreed = api.post(f"/api/matching/matches/{match['id']}/confirm", token=official, json={"side": "need"})
    assert agreed.json()["status"] == "agreed"
    early_sign = api.post(f"/api/matching/matches/{match['id']}/sign", token=official)
    assert early_sign.status_code == 400 and "不能签约" in early_sign.json()["errors"][0]["reason"]
    _move(api, official, fair["id"], "signing")
    signed = api.post(f"/api/matching/matches/{match['id']}/sign", token=official)
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    need.refresh_from_db()
    assert need.state == "matched" and need.steps.get().reason == "社洽会「顺河路社区社洽会」签约"
    carried = signed_match(people.community_official.user, match["id"])
    assert (carried.need, carried.resource, carried.community_code) == (need, resource, people.home_grid.community.code)
    converted = mark_converted(actor=people.community_official.user, match_id=match["id"], project_number="XM20261220001")
    assert (converted.status, converted.project_number) == ("converted", "XM20261220001")
    assert [s.to_status for s in FairMatchStep.objects.filter(match_id=match["id"])] == ["resource_confirmed", "agreed", "signed", "converted"]
    with pytest.raises(ValidationError):
        signed_match(people.community_official.user, match["id"])
    _move(api, official, fair["id"], "closed")


def test_a_fair_cannot_skip_a_phase_nor_be_held_out_of_scope(api, people):
    outside = _fair(api, people, division_code=people.other_grid.community.code)
    assert outside.status_code == 404
    fair = _fair(api, people).json()
    skipped = api.post(f"/api/matching/fairs/{fair['id']}/transition", token=people.community_official.token, json={"to": "matching"})
    assert skipped.status_code == 400 and skipped.json()["errors"][0]["reason"] == "社洽会不能从「筹备中」转为「供需匹配」"
    assert api.get(f"/api/matching/fairs/{fair['id']}", token=people.other_grid_worker.token).status_code == 403
    bad = _fair(api, people, max_distance_m=5)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "max_distance_m"


def test_a_match_is_dropped_only_with_a_reason_and_never_after_signing(api, people):
    official = people.community_official.token
    resource_in(people.home_grid)
    need = need_in(people.home_grid)
    fair = _fair(api, people).json()
    _move(api, official, fair["id"], "published", "presenting", "matching")
    match = next(m for m in api.post(f"/api/matching/fairs/{fair['id']}/proposals", token=official).json()["matches"] if m["need_id"] == need.pk)
    silent = api.post(f"/api/matching/matches/{match['id']}/drop", token=official, json={"reason": ""})
    assert silent.status_code == 400 and silent.json()["errors"][0]["reason"] == "放弃对接时须说明原因"
    dropped = api.post(f"/api/matching/matches/{match['id']}/drop", token=official, json={"reason": "居民已自行解决"})
    assert dropped.json()["status"] == "dropped"
    again = api.post(f"/api/matching/fairs/{fair['id']}/proposals", token=official).json()["matches"]
    assert any(m["need_id"] == need.pk for m in again)  # a dropped match holds nothing: the need is proposed again
    assert FairMatch.objects.filter(need=need, status="dropped").count() == 1 and Need.objects.get(pk=need.pk).state == "new"


def test_confirmed_matches_hold_their_capacity_for_the_next_proposals(api, people):
    official = people.community_official.token
    resource = resource_in(people.home_grid, capacity=1)
    first, second = need_in(people.home_grid, urgency=5), need_in(people.home_grid, urgency=1)
    fair = _fair(api, people).json()
    _move(api, official, fair["id"], "published", "presenting", "matching")
    match = next(m for m in api.post(f"/api/matching/fairs/{fair['id']}/proposals", token=official).json()["matches"] if m["resource_id"] == resource.pk)
    assert match["need_id"] == first.pk
    api.post(f"/api/matching/matches/{match['id']}/confirm", token=official, json={"side": "resource"})
    again = api.post(f"/api/matching/fairs/{fair['id']}/proposals", token=official).json()
    assert resource.pk not in {m["resource_id"] for m in again["matches"]}
    assert second.pk in {u["need_id"] for u in again["unmatched"]}
