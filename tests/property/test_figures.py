"""Red Property's published figures (`red_property` in /api/stats/headline): computed from the
records at request time, scoped to the caller, with the records behind each on /dashboard."""

import re

import pytest

from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.core.credit_code import credit_code_compose
from wangge.geo.models import Division
from wangge.people.models import PartyOrganisation
from wangge.property.models import (
    CompanyPartyOrganisation,
    CompanyService,
    Compound,
    PropertyCompany,
)

pytestmark = pytest.mark.django_db


def _compound(community: Division, name: str, mode: str = Compound.Mode.MARKET) -> Compound:
    return Compound.objects.create(name=name, kind=Compound.Kind.COMPOUND, mode=mode, community=community)


def _company(name: str, body: str, subdistrict: Division) -> PropertyCompany:
    code = credit_code_compose(authority="9", kind="1", division="410104", organisation_body=body)
    return PropertyCompany.objects.create(name=name, credit_code=code, subdistrict=subdistrict)


def _organisation(name: str, community: Division, *companies: PropertyCompany) -> CompanyPartyOrganisation:
    organisation = PartyOrganisation.objects.create(name=name, kind=PartyOrganisation.Kind.BRANCH, community=community)
    link = CompanyPartyOrganisation.objects.create(organisation=organisation)
    link.companies.set(companies)
    return link


def _direct(prefix: str) -> dict:
    """The same figures counted straight from the records, without the figures module."""
    compounds = Compound.objects.filter(community__code__startswith=prefix)
    communities = {c.community_id for c in compounds}
    subdistricts = set(Division.objects.filter(pk__in=communities).values_list("parent_id", flat=True))
    serving = set(CompanyService.objects.filter(compound__in=compounds, ended_on__isnull=True).values_list("company_id", flat=True))
    companies = {c.pk for c in PropertyCompany.objects.all() if c.subdistrict.code.startswith(prefix) or c.pk in serving}
    organisations = {link.pk for link in CompanyPartyOrganisation.objects.all() if set(link.companies.values_list("pk", flat=True)) & companies}
    return {"subdistricts": len(subdistricts), "communities": len(communities), "compounds": compounds.count(),
            "company_party_organisations": len(organisations)}


@pytest.fixture
def programme(people):
    """Compounds in the community officials' community and in another subdistrict, a company of
    each subdistrict, one with a party branch."""
    home = people.home_grid.community
    other = people.other_grid.community
    assert home.parent_id != other.parent_id
    mine = [_compound(home, "红星花园"), _compound(home, "东风楼院", Compound.Mode.OWNERLESS)]
    theirs = _compound(other, "西湖小区")
    near, far = _company("近邻物业", "MA100001", home.parent), _company("远方物业", "MA100002", other.parent)
    CompanyService.objects.create(company=far, compound=theirs, started_on="2024-01-01")
    _organisation("远方物业党支部", other, far)
    return {"home": home, "other": other, "mine": mine, "theirs": theirs, "near": near, "far": far}


def _headline(api, token=None) -> dict:
    return api.get("/api/stats/headline", token=token).json()["red_property"]


def test_it_counts_the_programme_from_the_records(api, people, programme):
    district = _headline(api)
    assert district == {**district, **_direct(programme["home"].code[:6])}
    before = district["compounds"]
    _compound(programme["other"], "新纳入小区")
    assert _headline(api)["compounds"] == before + 1


def test_it_scopes_every_figure_to_the_caller(api, people, programme):
    home = programme["home"]
    community = _headline(api, people.community_official.token)
    assert community == {**community, "subdistricts": 1, "communities": 1, "compounds": 2, "company_party_organisations": 0}
    assert community == {**community, **_direct(home.code)}
    subdistrict = _headline(api, people.subdistrict_official.token)
    assert subdistrict == {**subdistrict, **_direct(home.parent.code[:9])}
    # The branch of the other subdistrict's company is counted there, not here.
    assert subdistrict["company_party_organisations"] == 0
    assert _headline(api)["company_party_organisations"] >= 1


def test_a_company_account_is_given_no_one_elses_figures(api, people, programme):
    user = User.objects.create(username="wy_far", full_name="远方物业管理员", role=Role.PROPERTY_COMPANY, scope_code=programme["other"].code)
    figures = _headline(api, token_issue(user=user))
    assert all(value == 0 for value in figures.values() if isinstance(value, int)), figures


def test_the_records_behind_each_figure_are_those_in_scope(client, people, programme):
    client.force_login(people.community_official.user)
    html = client.get("/dashboard/records?figure=red_property.compounds").content.decode()
    assert "红星花园" in html and "东风楼院" in html and "西湖小区" not in html
    assert f'href="/property/compounds/{programme["mine"][0].pk}"' in html
    assert re.search(r'id="records-count">2<', html)
    html = client.get("/dashboard/records?figure=red_property.communities").content.decode()
    assert programme["home"].name in html and programme["other"].name not in html
    client.force_login(people.district_official.user)
    html = client.get("/dashboard/records?figure=red_property.company_party_organisations").content.decode()
    assert "远方物业党支部" in html and "远方物业" in html
    client.force_login(people.subdistrict_official.user)
    html = client.get("/dashboard/records?figure=red_property.company_party_organisations").content.decode()
    assert "远方物业党支部" not in html


def test_the_dashboard_shows_each_figure_with_a_link_to_its_records(client, people, programme):
    client.force_login(people.community_official.user)
    html = client.get("/dashboard").content.decode()
    for key in ("subdistricts", "communities", "compounds", "company_party_organisations"):
        assert f'href="/dashboard/records?figure=red_property.{key}"' in html, key
    assert re.search(r'data-key="red_property.compounds".*?class="dash-number">2<', html, re.S)
