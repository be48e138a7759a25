"""Community social organisations: bond, status, the grids they serve, members, activities."""

from datetime import date, timedelta

from wangge.geo.models import Grid
from wangge.people.models import Person, SocialOrganisation


def _create(api, people, **extra):
    grid = people.home_grid
    payload = {"name": "测试书画社", "bond": "interest", "status": "filed", "community_code": grid.community.code, "grid_codes": [grid.code], **extra}
    return api.post("/api/social-organisations", token=people.community_official.token, json=payload)


def test_it_registers_an_organisation_with_members_and_activities(api, people):
    created = _create(api, people)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["bond_label"], body["status_label"], body["grid_codes"]) == ("趣缘", "备案", [people.home_grid.code])
    resident = Person.objects.filter(household__building__grid_code=people.home_grid.code).first()
    added = api.post(f"/api/social-organisations/{body['id']}/members", token=people.community_official.token, json={"id_number": resident.id_number, "role": "leader"})
    assert added.status_code == 201
    [member] = added.json()["members"]
    assert (member["name"], member["role"]) == (resident.name, "负责人") and "********" in member["id_number"]
    activity = api.post(f"/api/social-organisations/{body['id']}/activities", token=people.community_official.token, json={"held_on": "2026-06-01", "title": "端午书法展", "participants": 40})
    assert activity.status_code == 201 and activity.json()["activities"][0]["title"] == "端午书法展"


def test_it_refuses_bad_values_and_grids_of_another_community(api, people):
    other_community_grid = Grid.objects.filter(layer__is_active=True, level=3).exclude(community=people.home_grid.community).filter(
        community__parent=people.home_grid.community.parent
    ).first()
    before = SocialOrganisation.objects.count()
    bad = _create(api, people, bond="friendship", status="unknown")
    assert bad.status_code == 400 and {e["field"] for e in bad.json()["errors"]} == {"bond", "status"}
    outside = api.post(
        "/api/social-organisations",
        token=people.subdistrict_official.token,
        json={"name": "跨社区", "bond": "place", "status": "filed", "community_code": people.home_grid.community.code, "grid_codes": [other_community_grid.code]},
    )
    assert outside.status_code == 400 and outside.json()["errors"][0]["field"] == "grids"
    assert _create(api, people, name=SocialOrganisation.objects.first().name).status_code == 400
    assert SocialOrganisation.objects.count() == before


def test_an_activity_cannot_be_in_the_future(api, people):
    organisation = SocialOrganisation.objects.filter(community=people.home_grid.community).first()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = api.post(f"/api/social-organisations/{organisation.pk}/activities", token=people.community_official.token, json={"held_on": tomorrow, "title": "明天"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "held_on"


def test_a_grid_worker_sees_the_organisations_serving_their_grid(api, people):
    listed = api.get("/api/social-organisations?limit=1000", token=people.grid_worker.token).json()
    expected = SocialOrganisation.objects.filter(grids=people.home_grid).count()
    assert listed["count"] == expected > 0
    assert all(people.home_grid.code in o["grid_codes"] for o in listed["items"])
