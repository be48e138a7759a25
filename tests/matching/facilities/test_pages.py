"""The back office's facility pages: the list in scope, and the form that adds and changes a
facility, its refusals beside their fields."""

from wangge.matching.facilities import services
from wangge.matching.models import Facility


def test_an_official_adds_and_changes_a_facility_through_the_form(client, people, spots):
    client.force_login(people.community_official.user)
    lon, lat = spots["home"][0]
    body = {"kind_code": "tcm_room", "name": "杏林中医理疗室", "community_code": spots["community"], "lon": str(lon), "lat": str(lat),
            "address": "社区服务中心二楼", "hours": "周一至周五 9:00-17:00", "capacity": "8", "project_number": "XM2026", "status": "open"}
    refused = client.post("/matching/facilities/new", {**body, "lon": "东经113"})
    assert refused.status_code == 400 and 'id="error-lon"' in refused.content.decode() and not Facility.objects.exists()
    made = client.post("/matching/facilities/new", body)
    facility = Facility.objects.get(name="杏林中医理疗室")
    assert made.status_code == 302 and (facility.capacity, facility.kind.code, facility.project_number) == (8, "tcm_room", "XM2026")
    assert client.post(f"/matching/facilities/{facility.pk}", {**body, "status": "maintenance"}).status_code == 302
    facility.refresh_from_db()
    assert facility.status == "maintenance"
    listing = client.get("/matching/facilities?kind=tcm_room").content.decode()
    assert "杏林中医理疗室" in listing and "维护中暂停开放" in listing


def test_out_of_scope_is_missing_and_other_roles_are_refused(client, people, spots):
    lon, lat, grid = spots["away"][0]
    theirs = services.facility_save(actor=None, kind_code="courtyard", name="远处庭院", community_code=grid[:12], lon=lon, lat=lat, address="远处")
    client.force_login(people.community_official.user)
    assert client.get(f"/matching/facilities/{theirs.pk}").status_code == 404
    assert "远处庭院" not in client.get("/matching/facilities").content.decode()
    client.force_login(people.grid_worker.user)
    assert client.get("/matching/facilities").status_code == 403
