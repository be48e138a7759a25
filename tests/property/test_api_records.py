"""Keeping a company's staff, services, party work and cross-appointments over the API:
people named by ID number and companies by credit code, found only within the caller's scope."""

from wangge.people.models import CommitteePost, Person
from wangge.property.models import CompanyService


def _resident(people, party: str, exclude=()) -> Person:
    return (
        Person.objects.filter(household__building__community=people.home_grid.community, party=party, property_jobs__isnull=True)
        .exclude(pk__in=exclude).order_by("pk").first()
    )


def test_it_adds_staff_and_shows_them_masked_to_the_company_only(api, people, estate):
    person = _resident(people, "full")
    added = api.post(f"/api/property/companies/{estate.company.pk}/staff", token=people.community_official.token, json={"id_number": person.id_number, "post": "manager"})
    assert added.status_code == 201, added.text
    row = next(r for r in added.json() if r["name"] == person.name)
    assert (row["post"], row["party"]) == ("企业负责人", "中共党员") and person.id_number not in added.text
    assert any(r["name"] == person.name for r in api.get(f"/api/property/companies/{estate.company.pk}/staff", token=estate.manager.token).json())
    assert api.get(f"/api/property/companies/{estate.company.pk}/staff", token=estate.other_manager.token).status_code == 404
    refused = api.post(f"/api/property/companies/{estate.company.pk}/staff", token=estate.manager.token, json={"id_number": person.id_number})
    assert refused.status_code == 403


def test_a_company_out_of_scope_is_not_found_by_its_credit_code(api, people, estate):
    response = api.post(f"/api/property/compounds/{estate.compound.pk}/service", token=people.community_official.token, json={"credit_code": estate.other_company.credit_code})
    assert response.status_code == 404 and estate.other_company.name not in response.text
    assert CompanyService.objects.get(compound=estate.compound, ended_on__isnull=True).company == estate.company


def test_a_new_company_takes_over_a_compound_and_the_old_service_ends(api, people, estate):
    newcomer = estate.compound.community.parent.property_companies.exclude(pk=estate.company.pk).exclude(state_owned=True).first()
    response = api.post(f"/api/property/compounds/{estate.compound.pk}/service", token=people.subdistrict_official.token,
                        json={"credit_code": newcomer.credit_code, "started_on": "2026-11-01"})
    assert response.status_code == 201 and response.json()["company_name"] == newcomer.name
    old = CompanyService.objects.get(compound=estate.compound, company=estate.company)
    assert str(old.ended_on) == "2026-11-01"


def test_a_party_organisation_and_a_committee_post_over_the_api(api, people, estate):
    official = people.district_official.token
    estate.company.staff.all().delete()
    for link in estate.company.party_organisations.all():
        link.organisation.delete()
    members = list(Person.objects.filter(party="full", household__isnull=False, property_jobs__isnull=True).order_by("pk")[:3])
    for person in members:
        api.post(f"/api/property/companies/{estate.company.pk}/staff", token=official, json={"id_number": person.id_number, "post": "manager"})
    payload = {"name": "测试物业联合党支部", "kind": "joint_branch", "credit_codes": [estate.company.credit_code], "secretary_id_number": members[0].id_number,
               "member_id_numbers": [m.id_number for m in members[1:]]}
    refused = api.post("/api/property/party-organisations", token=official, json=payload)
    assert refused.status_code == 400 and any("两家以上企业" in e["reason"] for e in refused.json()["errors"])
    created = api.post("/api/property/party-organisations", token=official, json={**payload, "name": "测试物业党支部", "kind": "branch"})
    assert created.status_code == 201, created.text
    post = api.post("/api/property/committee-posts", token=official, json={
        "community_code": estate.compound.community.code, "id_number": members[0].id_number, "committee": "party", "part_time": True,
    })
    assert post.status_code == 201 and post.json()["committee"] == "社区党组织"
    assert CommitteePost.objects.filter(person=members[0], community=estate.compound.community, part_time=True).exists()
    elsewhere = api.post("/api/property/committee-posts", token=people.community_official.token, json={
        "community_code": estate.other_compound.community.code, "id_number": members[0].id_number, "committee": "party",
    })
    assert elsewhere.status_code == 404
