"""The reports, computed from records: ownerless courtyards without backstop, companies owing a
party organisation or with neither organisation nor instructor, and cross-appointment."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wangge.geo.models import Division
from wangge.people.models import CommitteePost, PartyOrganisation, Person
from wangge.property.models import Backstop, CompanyService, CompanyStaff, Compound
from wangge.property.selectors.reports import (
    cross_appointment_report,
    ownerless_without_backstop,
    party_report,
)
from wangge.property.services.companies import backstop_name, company_staff_save
from wangge.property.services.party import company_party_organisation_save, party_instructor_send


def _people(party: str, count: int, exclude=()) -> list[Person]:
    return list(Person.objects.filter(party=party, household__isnull=False).exclude(pk__in=exclude).exclude(property_jobs__isnull=False).order_by("pk")[:count])


def _staffed(company, full: int) -> list[Person]:
    """Replace a company's staff with `full` full party members and two others, without a party
    organisation or an instructor."""
    for link in company.party_organisations.all():
        link.organisation.delete()
    company.party_instructors.all().delete()
    company.staff.all().delete()
    members, others = _people(Person.Party.FULL, full), _people(Person.Party.NONE, 2)
    for person in members + others:
        company_staff_save(actor=None, company=company, person=person, post=CompanyStaff.Post.STAFF)
    return members


def test_it_reports_ownerless_courtyards_without_backstop_until_one_is_named(people):
    unnamed = Division.objects.filter(kind__in=["subdistrict", "zone"]).exclude(property_backstop__isnull=False).first()
    waiting = Compound.objects.filter(mode=Compound.Mode.OWNERLESS, community__parent=unnamed)
    assert waiting.exists()
    district = people.district_official.user
    assert set(waiting) <= set(ownerless_without_backstop(district))
    state_owned = unnamed.property_companies.get(state_owned=True)
    backstop_name(actor=district, subdistrict=unnamed, company=state_owned)
    assert not set(waiting) & set(ownerless_without_backstop(district))
    assert set(CompanyService.objects.filter(compound__in=waiting, ended_on__isnull=True).values_list("company_id", flat=True)) == {state_owned.pk}


def test_only_a_state_owned_company_may_be_the_backstop(people, estate):
    with pytest.raises(ValidationError) as refused:
        backstop_name(actor=people.district_official.user, subdistrict=estate.company.subdistrict, company=estate.company)
    assert "不是国有企业" in str(refused.value)
    assert Backstop.objects.filter(company=estate.company).count() == 0


def test_it_reports_a_company_with_three_full_members_and_no_organisation(people, estate):
    official = people.district_official.user
    members = _staffed(estate.company, 3)
    report = party_report(official)
    assert estate.company in report["owing_organisation"] and estate.company in report["with_neither"]
    company_party_organisation_save(
        actor=official, name="测试物业党支部", kind=PartyOrganisation.Kind.BRANCH, companies=[estate.company], secretary=members[0], members=members,
    )
    report = party_report(official)
    assert estate.company not in report["owing_organisation"] and estate.company not in report["with_neither"]


def test_a_company_with_two_full_members_needs_an_instructor_not_a_branch(people, estate):
    official = people.district_official.user
    members = _staffed(estate.company, 2)
    report = party_report(official)
    assert estate.company not in report["owing_organisation"] and estate.company in report["with_neither"]
    with pytest.raises(ValidationError) as refused:
        company_party_organisation_save(actor=official, name="不够的支部", kind=PartyOrganisation.Kind.BRANCH, companies=[estate.company], secretary=members[0], members=members)
    assert "至少需要3名正式党员" in str(refused.value)
    instructor = _people(Person.Party.FULL, 1, exclude=[m.pk for m in members])[0]
    party_instructor_send(actor=official, company=estate.company, person=instructor, sent_by=estate.company.subdistrict, started_on=datetime.date(2026, 1, 5))
    assert estate.company not in party_report(official)["with_neither"]


def test_a_company_organisation_stays_off_the_grid_party_report(people, estate):
    from wangge.geo.scope import Scope
    from wangge.people.selectors.party import party_organisation_list

    members = _staffed(estate.company, 3)
    link = company_party_organisation_save(
        actor=None, name="测试物业党支部", kind=PartyOrganisation.Kind.BRANCH, companies=[estate.company], secretary=members[0], members=members,
    )
    assert link.organisation.ground == PartyOrganisation.Ground.COMPANY
    assert not party_organisation_list(Scope.district()).filter(pk=link.organisation_id).exists()


def test_it_refuses_members_who_do_not_work_for_the_company(people, estate):
    members = _staffed(estate.company, 3)
    stranger = _people(Person.Party.FULL, 1, exclude=[m.pk for m in members])[0]
    with pytest.raises(ValidationError) as refused:
        company_party_organisation_save(actor=None, name="外人支部", kind="branch", companies=[estate.company], secretary=members[0], members=[*members, stranger])
    assert f"{stranger.name} 不是所在企业的员工" in refused.value.message_dict["members"]


def test_cross_appointment_is_in_place_only_with_the_right_committee(people, estate):
    official = people.district_official.user
    community = estate.compound.community
    estate.company.staff.all().delete()
    manager = _people(Person.Party.FULL, 1)[0]
    company_staff_save(actor=None, company=estate.company, person=manager, post=CompanyStaff.Post.MANAGER)
    CommitteePost.objects.filter(person=manager).delete()

    def standing():
        return next(s for s in cross_appointment_report(official)["companies"] if s.pk == estate.company.pk)

    assert not standing().in_place
    post = CommitteePost.objects.create(community=community, person=manager, committee=CommitteePost.Committee.RESIDENTS, part_time=True)
    assert not standing().in_place and standing().appointments[0].committee == "居民委员会（兼职）"
    post.committee = CommitteePost.Committee.PARTY
    post.save()
    assert standing().in_place
    by_community = next(s for s in cross_appointment_report(official)["communities"] if s.pk == community.pk)
    assert by_community.in_place and manager.name in [a.person for a in by_community.appointments]
