"""The back office's deliberation pages: the list by step in scope, and a deliberation's page
whose forms carry it through its steps, refusals shown in Chinese and nothing changed."""

from wangge.matching.models import Deliberation


def _signed_in(client, person):
    client.force_login(person.user)
    return client


def test_an_official_carries_a_matter_through_the_pages(client, people):
    c = _signed_in(client, people.community_official)
    community = people.home_grid.community.code
    opened = c.post("/matching/deliberations", {"community_code": community, "title": "楼道堆物清理", "matter": "清理楼道杂物并设置存放点"})
    d = Deliberation.objects.get(title="楼道堆物清理")
    assert opened.status_code == 302 and opened["Location"] == f"/matching/deliberations/{d.pk}"
    page = f"/matching/deliberations/{d.pk}"
    refused = c.post(page, {"form": "move", "to": "proposed", "text": "设置统一存放点"})
    assert refused.status_code == 400 and "须先征集意见" in refused.content.decode()
    assert c.post(page, {"form": "opinion", "address": "7号楼", "summary": "支持清理"}).status_code == 302
    assert c.post(page, {"form": "move", "to": "proposed", "text": "设置统一存放点"}).status_code == 302
    assert c.post(page, {"form": "consultation", "unit": "物业服务企业", "summary": "负责清运"}).status_code == 302
    assert c.post(page, {"form": "move", "to": "consulted"}).status_code == 302
    sitting = {"form": "meeting", "kind": "representatives", "held_on": "2026-01-05", "members": "30", "present": "15", "votes_for": "15"}
    assert c.post(page, sitting).status_code == 302
    html = c.get(page).content.decode()
    assert "未达法定人数（应到 30 人，实到 15 人，须过半数），不能形成决议" in html and "已商议" in html
    bad = c.post(page, {**sitting, "present": "abc"})
    assert bad.status_code == 400 and "实到人数应为不小于 0 的整数" in bad.content.decode()
    assert c.post(page, {**sitting, "present": "16", "votes_for": "9"}).status_code == 302
    d.refresh_from_db()
    assert d.status == "resolved" and d.meetings.count() == 2
    html = c.get(page).content.decode()
    assert 'id="move-publicity"' in html and "已商议 → 已决议" in html
    listing = c.get("/matching/deliberations?status=resolved").content.decode()
    assert "楼道堆物清理" in listing and "已决议（1）" in listing
    assert "楼道堆物清理" not in c.get("/matching/deliberations?status=soliciting").content.decode()


def test_out_of_scope_is_missing_and_other_roles_are_refused(client, people):
    from wangge.matching.deliberation.services import deliberation_open

    d = deliberation_open(actor=None, title="远处议事", matter="说明", community_code=people.other_grid.community.code)
    c = _signed_in(client, people.community_official)
    assert c.get(f"/matching/deliberations/{d.pk}").status_code == 404
    assert "远处议事" not in c.get("/matching/deliberations").content.decode()
    c.force_login(people.district_official.user)
    seen = c.get(f"/matching/deliberations/{d.pk}")  # opened by the system: its steps name nobody
    assert seen.status_code == 200 and "系统" in seen.content.decode()
    c.force_login(people.grid_worker.user)
    assert c.get("/matching/deliberations").status_code == 403
