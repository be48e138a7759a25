"""The demo's Red Property keeps the rules the services enforce, and shows every report something."""

from wangge.core.credit_code import credit_code_checked
from wangge.people.models import Building, CommitteePost, Person
from wangge.property.models import (
    Backstop,
    CompanyPartyOrganisation,
    CompanyService,
    CompanyStaff,
    Compound,
    PropertyCompany,
)
from wangge.property.selectors.reports import (
    cross_appointment_report,
    ownerless_without_backstop,
    party_report,
)
from wangge.property.services.party import company_party_errors


def test_its_compounds_are_the_ones_its_buildings_name(db):
    named = set(Building.objects.exclude(compound="").values_list("community_id", "compound").distinct())
    assert set(Compound.objects.values_list("community_id", "name")) == named
    assert not Building.objects.exclude(compound="").filter(compound_holding__isnull=True).exists()
    assert set(Compound.objects.values_list("kind", flat=True)) == {"compound", "courtyard"}


def test_its_companies_and_services_keep_the_rules(db):
    for company in PropertyCompany.objects.select_related("department"):
        assert credit_code_checked(company.credit_code) == company.credit_code
        assert company.department.kind == "property_company" and company.accounts.count() == 1
        assert set(company.department.handlers.all()) == {a.user for a in company.accounts.all()}
    for service in CompanyService.objects.filter(project_manager__isnull=False):
        assert CompanyStaff.objects.filter(company=service.company_id, person=service.project_manager_id).exists()
    assert all(b.company.state_owned for b in Backstop.objects.select_related("company"))
    served = CompanyService.objects.filter(ended_on__isnull=True)
    assert not served.exclude(compound__mode=Compound.Mode.OWNERLESS).filter(company__state_owned=True).exists()
    for backstop in Backstop.objects.all():
        ownerless = Compound.objects.filter(mode=Compound.Mode.OWNERLESS, community__parent=backstop.subdistrict)
        assert set(served.filter(compound__in=ownerless).values_list("company_id", flat=True)) == {backstop.company_id}
    assert CompanyStaff.objects.values("person").distinct().count() == CompanyStaff.objects.count()


def test_its_party_organisations_keep_the_rules(db):
    links = list(CompanyPartyOrganisation.objects.select_related("organisation__secretary"))
    assert links
    for link in links:
        organisation = link.organisation
        assert company_party_errors(
            kind=organisation.kind, companies=list(link.companies.all()), secretary=organisation.secretary, members=list(organisation.members.all()), link=link,
        ) == {}


def test_every_report_has_something_to_show(db):
    report = party_report(None)
    assert report["owing_organisation"] and report["with_neither"] and len(report["with_neither"]) < len(report["companies"])
    assert ownerless_without_backstop(None).exists()
    cross = cross_appointment_report(None)
    placed = [s.in_place for s in cross["companies"]]
    assert any(placed) and not all(placed)
    parties = set(CommitteePost.objects.values_list("committee", flat=True))
    assert parties == {"party", "residents"}
    assert Person.objects.filter(owners_committee_posts__isnull=False).exists()


def test_its_property_cases_go_to_the_compounds_companies(db):
    from wangge.accounts.models import Role, User
    from wangge.cases.models import Case
    from wangge.demo.property import demo_property_cases
    from wangge.geo.models import Division

    communities = Division.objects.filter(kind="community", compounds__services__isnull=False).distinct()
    User.objects.bulk_create([User(username=f"co{c.code}", role=Role.COMMUNITY_OFFICIAL, scope_code=c.code, password="!") for c in communities])
    reported, dispatched = demo_property_cases()
    assert reported == dispatched > 0
    cases = Case.objects.filter(category__concerns_property=True, department__kind="property_company")
    assert cases.count() == reported and all(c.status == Case.Status.DISPATCHED for c in cases)
