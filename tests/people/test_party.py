"""Grid party organisations: who may lead, how many full members a branch needs, who may join."""

from wangge.geo.models import Grid
from wangge.geo.scope import Scope
from wangge.people.models import Building, GridPost, PartyOrganisation, Person
from wangge.people.services.persons import resident_create
from wangge.people.services.staff import post_add

from .ids import id_number


def _resident(grid: Grid, party: str = "full", **fields) -> Person:
    building = Building.objects.filter(grid_code=grid.code).first()
    return resident_create(scope=Scope.district(), building=building, unit="1", room="101", id_number=id_number(), name="党员", party=party, **fields)


def _leader(grid: Grid) -> Person:
    return GridPost.objects.get(grid=grid, role="leader").person


def _free(grid: Grid) -> Grid:
    """The grid with its demo organisation removed, so a new one can be formed."""
    PartyOrganisation.objects.filter(grids=grid).delete()
    return grid


def _create(api, people, grid_codes, kind, secretary, members):
    payload = {
        "name": f"测试{kind}{len(members)}",
        "kind": kind,
        "grid_codes": grid_codes,
        "secretary_id_number": secretary.id_number,
        "member_id_numbers": [m.id_number for m in members],
    }
    return api.post("/api/party-organisations", token=people.community_official.token, json=payload)


def _reasons(response) -> str:
    return " ".join(e["reason"] for e in response.json()["errors"])


def test_a_branch_needs_three_full_members_and_a_group_does_not(api, people):
    grid = _free(people.home_grid)
    leader = _leader(grid)
    one_more = _resident(grid)
    probationary = _resident(grid, party="probationary")
    refused = _create(api, people, [grid.code], "branch", leader, [one_more, probationary])
    assert refused.status_code == 400 and "党支部至少需要3名正式党员，现有2名" in _reasons(refused)
    group = _create(api, people, [grid.code], "group", leader, [one_more, probationary])
    assert group.status_code == 201, group.text
    body = group.json()
    assert body["kind_label"] == "党小组" and body["secretary"]["name"] == leader.name
    assert len(body["members"]) == 3  # the secretary joins as a member


def test_the_secretary_is_a_full_member_leading_the_grid(api, people):
    grid = _free(people.home_grid)
    members = [_resident(grid) for _ in range(3)]
    not_leader = _create(api, people, [grid.code], "branch", members[0], members)
    assert not_leader.status_code == 400 and "不是本网格的网格长或副网格长" in _reasons(not_leader)
    deputy = _resident(grid, party="probationary")
    post_add(scope=Scope.district(), grid=grid, person=deputy, role="deputy")
    probationary = _create(api, people, [grid.code], "branch", deputy, members)
    assert probationary.status_code == 400 and "不是中共正式党员" in _reasons(probationary)
    assert _create(api, people, [grid.code], "branch", _leader(grid), members).status_code == 201


def test_members_are_party_members_of_the_grid_or_retired_cadres(api, people):
    grid = _free(people.home_grid)
    leader = _leader(grid)
    neighbour = Grid.objects.filter(layer__is_active=True, level=3, community=grid.community).exclude(pk=grid.pk).first()
    outsider = _resident(neighbour)
    not_member = _resident(grid, party="none")
    refused = _create(api, people, [grid.code], "group", leader, [outsider, not_member])
    assert refused.status_code == 400
    assert f"{outsider.name} 既不居住也不任职于本组织的网格" in _reasons(refused) and f"{not_member.name} 不是党员" in _reasons(refused)
    retired = _resident(neighbour, retired_cadre=True)
    assert _create(api, people, [grid.code], "group", leader, [retired]).status_code == 201


def test_a_grid_has_one_organisation_and_a_joint_branch_stays_in_one_community(api, people):
    grid = people.home_grid
    taken = _create(api, people, [grid.code], "group", _leader(grid), [])
    assert taken.status_code == 400 and "已有党组织" in _reasons(taken)
    neighbours = list(Grid.objects.filter(layer__is_active=True, level=3, community=grid.community).order_by("code")[:2])
    for g in neighbours:
        _free(g)
    members = [_resident(neighbours[0]), _resident(neighbours[1]), _resident(neighbours[1])]
    joint = _create(api, people, [g.code for g in neighbours], "joint_branch", _leader(neighbours[0]), members)
    assert joint.status_code == 201, joint.text
    assert joint.json()["grid_codes"] == sorted(g.code for g in neighbours)
    lonely = _create(api, people, [_free(Grid.objects.filter(layer__is_active=True, level=3, community=grid.community).order_by("code")[2]).code], "joint_branch", _leader(neighbours[0]), members)
    assert lonely.status_code == 400 and "联合党支部应联合两个以上网格" in _reasons(lonely)


def test_the_report_lists_grids_without_organisation_and_broken_leadership(api, people):
    grid = people.home_grid
    organisation = PartyOrganisation.objects.get(grids=grid)
    report = api.get("/api/party-organisations/report", token=people.community_official.token).json()
    assert report == {"grids_without_organisation": [], "organisations_breaking_rules": []}
    GridPost.objects.filter(grid=grid, person=organisation.secretary, role__in=["leader", "deputy"]).delete()
    neighbour = _free(Grid.objects.filter(layer__is_active=True, level=3, community=grid.community).exclude(pk=grid.pk).first())
    report = api.get("/api/party-organisations/report", token=people.community_official.token).json()
    assert report["grids_without_organisation"] == [{"code": neighbour.code, "name": neighbour.name}]
    [broken] = report["organisations_breaking_rules"]
    assert broken["name"] == organisation.name and broken["grid_codes"] == [grid.code]
    assert any("不是本网格的网格长或副网格长" in p for p in broken["problems"])


def test_organisations_are_scoped(api, people):
    other = PartyOrganisation.objects.get(grids=people.other_grid)
    assert api.get(f"/api/party-organisations/{other.pk}", token=people.grid_worker.token).status_code == 404
    mine = api.get("/api/party-organisations", token=people.grid_worker.token).json()
    assert [o["grid_codes"] for o in mine["items"]] == [[people.home_grid.code]]
    assert "********" in mine["items"][0]["secretary"]["id_number"]


def test_an_update_keeps_the_rules(api, people):
    organisation = PartyOrganisation.objects.get(grids=people.home_grid)
    not_member = _resident(people.home_grid, party="none")
    response = api.patch(
        f"/api/party-organisations/{organisation.pk}",
        token=people.community_official.token,
        json={"member_id_numbers": [m.id_number for m in organisation.members.all()] + [not_member.id_number]},
    )
    assert response.status_code == 400 and "不是党员" in _reasons(response)
    assert not organisation.members.filter(pk=not_member.pk).exists()
