"""Naming a person by ID number finds only persons in the caller's scope: someone registered
elsewhere in the district is answered exactly as a number the caller cannot use, and no answer
carries their name, their party status or that they exist."""

from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from wangge.geo.models import Grid
from wangge.people.models import Building, GridPost, PartyOrganisation, Person, SocialOrganisation
from wangge.people.services.persons import NOT_REGISTRABLE, id_digest

from .ids import id_number
from .test_workbooks import (
    PARTY_HEADINGS,
    RESIDENT_HEADINGS,
    SOCIAL_HEADINGS,
    STAFF_HEADINGS,
    _counts,
    _resident,
    _upload,
    _xlsx,
)


def _unattached(**filters) -> QuerySet[Person]:
    """A resident holding no post and in no organisation."""
    unattached = Person.objects.filter(posts__isnull=True, party_memberships__isnull=True, social_memberships__isnull=True)
    return unattached.filter(household__isnull=False, **filters).order_by("pk")


def _outsider(people, **filters) -> Person:
    """A resident of another subdistrict: out of the community official's scope, as is all
    they serve on or belong to."""
    return Person.objects.filter(household__building__grid_code=people.other_grid.code, **filters).order_by("pk").first()


def _unheld_district_number() -> str:
    """A number issued in this district that nobody holds."""
    while True:
        number = id_number(area=settings.WANGGE_DISTRICT_CODE, born=date(1931, 1, 1))
        if not Person.objects.filter(id_digest=id_digest(number)).exists():
            return number


def _leaks(response, person: Person) -> bool:
    return person.name in response.text or person.get_party_display() in response.text or "已登记" in response.text


def _staff_post(api, token, grid: Grid, number: str):
    payload = {"grid_code": grid.code, "role": "group", "duty": "志愿者", "name": "王某", "id_number": number}
    return api.post("/api/staff", token=token, json=payload)


def test_it_answers_a_staff_post_for_another_communitys_resident_as_for_a_number_it_cannot_register(api, people):
    outsider = _outsider(people)
    token = people.community_official.token
    before = _counts()
    posted = _staff_post(api, token, people.home_grid, outsider.id_number)
    unheld = _staff_post(api, token, people.home_grid, _unheld_district_number())
    assert posted.status_code == unheld.status_code == 400, posted.text
    assert posted.json() == unheld.json() == {"detail": f"id_number：{NOT_REGISTRABLE}", "errors": [{"field": "id_number", "reason": NOT_REGISTRABLE}]}
    assert not _leaks(posted, outsider)
    assert _counts() == before


def test_no_post_in_scope_reaches_an_outsiders_full_id_number(api, people):
    outsider = _outsider(people)
    token = people.community_official.token
    assert _staff_post(api, token, people.home_grid, outsider.id_number).status_code == 400
    assert not GridPost.objects.filter(person=outsider, grid__code__startswith=people.home_grid.community.code).exists()
    for post in GridPost.objects.filter(person=outsider):
        assert api.post(f"/api/staff/{post.pk}/unmask", token=token, json={"reason": "核实身份信息"}).status_code == 404
    assert api.post(f"/api/residents/{outsider.pk}/unmask", token=token, json={"reason": "核实身份信息"}).status_code == 404


def test_it_posts_a_resident_in_scope_under_the_name_the_roll_keeps(api, people):
    resident = _unattached(household__building__grid_code=people.home_grid.code).first()
    posted = _staff_post(api, people.community_official.token, people.home_grid, resident.id_number)
    assert posted.status_code == 201, posted.text
    assert (posted.json()["person"]["id"], posted.json()["person"]["name"]) == (resident.pk, resident.name)


def test_a_subdistrict_official_posts_a_resident_of_another_of_its_communities(api, people):
    subdistrict = people.home_grid.community.parent
    elsewhere = _unattached(household__building__community__parent=subdistrict).exclude(household__building__community=people.home_grid.community).first()
    assert _staff_post(api, people.community_official.token, people.home_grid, elsewhere.id_number).status_code == 400
    posted = _staff_post(api, people.subdistrict_official.token, people.home_grid, elsewhere.id_number)
    assert posted.status_code == 201 and posted.json()["person"]["id"] == elsewhere.pk


def test_only_the_district_registers_a_person_unknown_to_its_communities(api, people):
    """Below the district a number nobody holds is answered as one held outside the scope,
    wherever it was issued: otherwise a refusal would tell that the number is held."""
    for number in (_unheld_district_number(), id_number()):
        refused = _staff_post(api, people.community_official.token, people.home_grid, number)
        assert (refused.status_code, refused.json()["errors"]) == (400, [{"field": "id_number", "reason": NOT_REGISTRABLE}])
        assert _staff_post(api, people.district_official.token, people.home_grid, number).status_code == 201


def test_a_social_organisation_cannot_enlist_another_communitys_resident(api, people):
    outsider = _outsider(people)
    organisation = SocialOrganisation.objects.filter(community=people.home_grid.community).order_by("pk").first()
    url, token = f"/api/social-organisations/{organisation.pk}/members", people.community_official.token
    added = api.post(url, token=token, json={"id_number": outsider.id_number})
    unknown = api.post(url, token=token, json={"id_number": id_number()})
    assert added.status_code == unknown.status_code == 400
    assert added.json() == unknown.json()
    assert not _leaks(added, outsider) and not organisation.members.filter(pk=outsider.pk).exists()


def test_a_refused_party_organisation_names_nobody_out_of_scope(api, people):
    grid = people.home_grid
    PartyOrganisation.objects.filter(grids=grid).delete()
    leader = GridPost.objects.get(grid=grid, role="leader").person
    member, not_member = _outsider(people, party="full"), _outsider(people, party="none")

    def create(numbers: list[str]):
        payload = {"name": "测试党小组", "kind": "group", "grid_codes": [grid.code], "secretary_id_number": leader.id_number, "member_id_numbers": numbers}
        return api.post("/api/party-organisations", token=people.community_official.token, json=payload)

    refused = create([member.id_number, not_member.id_number])
    unknown = create([id_number(), id_number()])
    assert refused.status_code == unknown.status_code == 400
    assert refused.json() == unknown.json()
    assert not _leaks(refused, member) and not _leaks(refused, not_member) and "不是党员" not in refused.text


def test_registering_a_resident_does_not_confirm_a_number_held_elsewhere(api, people):
    outsider = _outsider(people)
    building = Building.objects.filter(grid_code=people.home_grid.code).order_by("pk").first()
    payload = {"building_id": building.pk, "room": "9901", "name": "王某", "id_number": outsider.id_number, "residence": "floating"}
    created = api.post("/api/residents", token=people.community_official.token, json=payload)
    assert created.status_code == 400
    assert created.json()["errors"] == [{"field": "id_number", "reason": NOT_REGISTRABLE}]
    assert not _leaks(created, outsider)
    resident = Person.objects.filter(household__building=building).order_by("pk").first()
    changed = api.patch(f"/api/residents/{resident.pk}", token=people.community_official.token, json={"id_number": outsider.id_number})
    assert changed.json()["errors"] == [{"field": "id_number", "reason": NOT_REGISTRABLE}] and not _leaks(changed, outsider)


def _row_errors(response) -> list[str]:
    assert response.status_code == 400, response.text
    return response.json()["report"]


def test_workbook_rows_do_not_confirm_a_number_held_elsewhere(api, people):
    outsider = _outsider(people)
    token, grid, community = people.community_official.token, people.home_grid, people.home_grid.community
    before = _counts()
    building = Building.objects.filter(grid_code=grid.code).order_by("pk").first()
    residents = _row_errors(_upload(api, token, "residents", _xlsx(RESIDENT_HEADINGS, [_resident(building, 身份证号=outsider.id_number)])))
    assert residents == [f"第 2 行 身份证号: {NOT_REGISTRABLE}"]

    def staff(number: str) -> list[str]:
        row = {"姓名": "王某", "身份证号": number, "网格编码": grid.code, "岗位": "群防群治力量", "具体职责": "志愿者"}
        return _row_errors(_upload(api, token, "staff", _xlsx(STAFF_HEADINGS, [row])))

    assert staff(outsider.id_number) == staff(_unheld_district_number()) == [f"第 2 行 身份证号: {NOT_REGISTRABLE}"]

    def party(number: str) -> list[str]:
        row = {"组织名称": "测试党组织", "组织类型": "党小组", "网格编码": grid.code, "姓名": outsider.name, "身份证号": number, "职务": "书记"}
        return _row_errors(_upload(api, token, "party", _xlsx(PARTY_HEADINGS, [row])))

    assert party(outsider.id_number) == party(id_number()) == ["第 2 行 身份证号: 该身份证号未登记，请先登记该人员"]

    def social(number: str) -> list[str]:
        row = {"组织名称": "测试舞蹈队", "联结类型": "趣缘", "登记状态": "备案", "所属社区代码": community.code, "负责人身份证号": number}
        return _row_errors(_upload(api, token, "social", _xlsx(SOCIAL_HEADINGS, [row])))

    assert social(outsider.id_number) == social(id_number()) == ["第 2 行 负责人身份证号: 该身份证号未登记，请先登记该人员"]
    assert _counts() == before


def test_a_refused_cadre_post_does_not_name_a_grid_out_of_scope(api, people):
    resident = _unattached(household__building__grid_code=people.home_grid.code).first()
    GridPost.objects.filter(grid__in=[people.home_grid, people.other_grid], role="full_time").delete()
    GridPost.objects.create(grid=people.other_grid, person=resident, role="full_time")
    payload = {"grid_code": people.home_grid.code, "role": "full_time", "name": resident.name, "id_number": resident.id_number}
    refused = api.post("/api/staff", token=people.community_official.token, json=payload)
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "person", "reason": f"{resident.name} 已是其他网格的专职网格员，一人只能专职一个网格"}]
