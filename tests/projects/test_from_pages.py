"""The fair's pages run a fair as an official and a provider would, and the button
"转为服务项目" on a signed match and on a resolved deliberation lands on the new project's page,
which names what it carries; refusals come back in Chinese and change nothing."""

from tests.matching.deliberation.steps import Steps
from tests.matching.making import need_in, provider, resource_in
from wangge.matching.models import Deliberation, Fair, FairMatch
from wangge.projects.models import Project


def test_a_fair_runs_through_its_pages_into_a_project(client, people):
    seller = provider("provider_pages")
    resource_in(people.home_grid, owner=seller.user, capacity=3, name="党群服务中心活动室", provider_name="区文化馆")
    need = need_in(people.home_grid, quantity=2, urgency=5, description="老年合唱队需要排练场地")
    client.force_login(people.community_official.user)
    bad = client.post("/matching/fairs", {"title": "", "division_code": people.home_grid.community.code, "held_on": "2026-12-20"})
    assert bad.status_code == 400 and "社洽会名称" in bad.content.decode() and not Fair.objects.exists()
    made = client.post("/matching/fairs", {"title": "顺河社洽会", "division_code": people.home_grid.community.code, "held_on": "2026-12-20", "max_distance_m": "5000"})
    fair = Fair.objects.get(title="顺河社洽会")
    page = f"/matching/fairs/{fair.pk}"
    assert made.status_code == 302 and made["Location"] == page
    early = client.post(page, {"form": "propose"})
    assert early.status_code == 400 and "供需匹配" in early.content.decode()
    for to in ("published", "presenting", "matching"):
        assert client.post(page, {"form": "move", "to": to}).status_code == 302
    assert client.post(page, {"form": "propose"}).status_code == 302
    match = FairMatch.objects.get(fair=fair, need=need)
    html = client.get(page).content.decode()
    assert f'id="match-{match.pk}"' in html and match.explanation in html and "党群服务中心活动室" in html
    client.force_login(seller.user)
    assert "资源方确认" in client.get(page).content.decode()
    assert client.post(page, {"form": "confirm", "match": match.pk, "side": "resource"}).status_code == 302
    client.force_login(people.community_official.user)
    assert client.post(page, {"form": "confirm", "match": match.pk, "side": "need"}).status_code == 302
    assert client.post(page, {"form": "move", "to": "signing"}).status_code == 302
    assert client.post(page, {"form": "sign", "match": match.pk}).status_code == 302
    assert f'action="/projects/from/match/{match.pk}"' in client.get(page).content.decode()
    landed = client.post(f"/projects/from/match/{match.pk}", follow=True)
    project = Project.objects.get()
    assert landed.redirect_chain[-1][0] == f"/projects/from/{project.pk}"
    html = landed.content.decode()
    assert project.number in html and need.number in html and "老年合唱队需要排练场地" in html and "党群服务中心活动室（区文化馆" in html
    again = client.post(f"/projects/from/match/{match.pk}", follow=True)
    assert "已转为服务项目" in again.content.decode() and Project.objects.count() == 1


def test_a_resolved_deliberation_shows_the_button_and_lands_on_its_project(client, people):
    steps = Steps(people)
    consulted = steps.at(Deliberation.Status.CONSULTED)
    client.force_login(people.community_official.user)
    assert "project-from-resolution" not in client.get(f"/matching/deliberations/{consulted.pk}").content.decode()
    refused = client.post(f"/projects/from/resolution/{consulted.pk}", follow=True)
    assert "尚未形成决议" in refused.content.decode() and not Project.objects.exists()
    resolved = steps.advance(consulted, Deliberation.Status.RESOLVED)
    assert f'action="/projects/from/resolution/{resolved.pk}"' in client.get(f"/matching/deliberations/{resolved.pk}").content.decode()
    landed = client.post(f"/projects/from/resolution/{resolved.pk}", follow=True)
    html = landed.content.decode()
    assert Project.objects.get().title == "加装电梯议事" and f"{resolved.number} 加装电梯议事" in html
    again = client.post(f"/projects/from/resolution/{resolved.pk}", follow=True)
    assert f"已决定服务项目（{Project.objects.get().number}）" in again.content.decode()


def test_someone_elses_match_or_fair_is_missing(client, people):
    from tests.projects.test_from import signed_match

    theirs = signed_match(people, people.other_grid)
    client.force_login(people.community_official.user)
    assert client.get(f"/matching/fairs/{theirs.fair_id}").status_code == 404
    assert client.post(f"/projects/from/match/{theirs.pk}").status_code == 404
    assert client.post("/projects/from/match/999999").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "signed" and not Project.objects.exists()
