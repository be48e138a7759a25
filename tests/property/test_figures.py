"""Red Property's published figures (`red_property` in /api/stats/headline): computed from the
records at request time, scoped to the caller, with the records behind each on /dashboard."""

import datetime
import re

import pytest
from django.utils import timezone

from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.core.credit_code import credit_code_compose
from wangge.geo.models import Division
from wangge.people.models import CommitteePost, PartyOrganisation
from wangge.property.models import (
    CompanyPartyOrganisation,
    CompanyService,
    CompanyStaff,
    Compound,
    PropertyCompany,
)
from wangge.property.models.demonstrations import Demonstration
from wangge.property.models.rating import RatingEntry, RatingRound, RatingScheme
from wangge.property.selectors.reports import cross_appointment_report

pytestmark = pytest.mark.django_db


STARTED = datetime.date(2023, 5, 1)


def _compound(community: Division, name: str, mode: str = Compound.Mode.MARKET, started: datetime.date | None = STARTED) -> Compound:
    return Compound.objects.create(name=name, kind=Compound.Kind.COMPOUND, mode=mode, community=community, programme_started_on=started)


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
    compounds = Compound.objects.filter(community__code__startswith=prefix, programme_started_on__lte=timezone.localdate())
    communities = {c.community_id for c in compounds}
    subdistricts = set(Division.objects.filter(pk__in=communities).values_list("parent_id", flat=True))
    serving = set(CompanyService.objects.filter(compound__community__code__startswith=prefix, ended_on__isnull=True).values_list("company_id", flat=True))
    companies = {c.pk for c in PropertyCompany.objects.all() if c.subdistrict.code.startswith(prefix) or c.pk in serving}
    organisations = {link.pk for link in CompanyPartyOrganisation.objects.all() if set(link.companies.values_list("pk", flat=True)) & companies}
    demonstrations = Demonstration.objects.all()
    places = {
        level: {d.place.pk for d in demonstrations.filter(level=level) if (d.compound.community if d.compound else d.division).code.startswith(prefix)}
        for level in ("subdistrict", "community", "compound")
    }
    latest = RatingRound.objects.filter(status="published").order_by("-year").first()
    rated = [e.stars for e in RatingEntry.objects.filter(round=latest) if e.compound.community.code.startswith(prefix)]
    return {"subdistricts": len(subdistricts), "communities": len(communities), "compounds": compounds.count(),
            "company_party_organisations": len(organisations), "companies_cross_appointed": sum(1 for pk in companies if _cross_appointed(pk)),
            "demonstration_subdistricts": len(places["subdistrict"]), "demonstration_communities": len(places["community"]),
            "demonstration_compounds": len(places["compound"]), "star_ratings": {str(n): rated.count(n) for n in range(1, 6)}}


def _cross_appointed(company_id: int) -> bool:
    """A manager of the company holds the right part-time committee post where it serves."""
    served = set(CompanyService.objects.filter(company_id=company_id, ended_on__isnull=True).values_list("compound__community_id", flat=True))
    for staff in CompanyStaff.objects.filter(company_id=company_id, post__in=["manager", "project_manager"]).select_related("person"):
        wanted = "residents" if staff.person.party == "none" else "party"
        if CommitteePost.objects.filter(person=staff.person, community_id__in=served, part_time=True, committee=wanted).exists():
            return True
    return False


def test_the_demo_district_publishes_the_reference_figures_from_its_records(api, db):
    figures = _headline(api)
    assert {k: v for k, v in figures.items() if k != "star_ratings"} == {
        "subdistricts": 12, "communities": 44, "compounds": 178,
        "demonstration_subdistricts": 4, "demonstration_communities": 11, "demonstration_compounds": 52,
        "companies_cross_appointed": 162, "company_party_organisations": 24,
    }
    assert figures == _direct("410104")
    in_place = [s for s in cross_appointment_report(None)["companies"] if s.in_place]
    assert figures["companies_cross_appointed"] == len(in_place)


@pytest.fixture
def programme(people):
    """Compounds in the community officials' community and in another subdistrict, a company of
    each subdistrict, one with a party branch."""
    home = people.home_grid.community
    other = people.other_grid.community
    assert home.parent_id != other.parent_id
    mine = [_compound(home, "红星花园"), _compound(home, "东风楼院", Compound.Mode.OWNERLESS)]
    _compound(home, "尚未开展小区", started=None)
    theirs = _compound(other, "西湖小区")
    near, far = _company("近邻物业", "MA100001", home.parent), _company("远方物业", "MA100002", other.parent)
    CompanyService.objects.create(company=far, compound=theirs, started_on="2024-01-01")
    _organisation("远方物业党支部", other, far)
    # Demonstrations: the home subdistrict in two years (one place), the other community, a home compound.
    for year in (2098, 2099):
        Demonstration.objects.create(year=year, level="subdistrict", division=home.parent, criteria=["party_led"])
    Demonstration.objects.create(year=2099, level="community", division=other, criteria=["cross_appointment"])
    Demonstration.objects.create(year=2099, level="compound", compound=mine[0], criteria=["owners_committee"])
    # Ratings: an older published round and the latest published one; a later round still in publicity does not count.
    scheme = RatingScheme.objects.create(name="测试方案", star_minimums=[60, 70, 80, 90, 95])
    rounds = {year: RatingRound.objects.create(year=year, scheme=scheme, status=status)
              for year, status in ((2097, "published"), (2098, "published"), (2099, "publicity"))}
    for year, stars in ((2097, (1, 1, 1)), (2098, (5, 3, 5)), (2099, (2, 2, 2))):
        for compound, star in zip([*mine, theirs], stars, strict=True):
            RatingEntry.objects.create(round=rounds[year], compound=compound, stars=star, total=50 + 10 * star)
    return {"home": home, "other": other, "mine": mine, "theirs": theirs, "near": near, "far": far}


def _headline(api, token=None) -> dict:
    return api.get("/api/stats/headline", token=token).json()["red_property"]


def test_it_counts_the_programme_from_the_records(api, people, programme):
    district = _headline(api)
    assert district == _direct(programme["home"].code[:6])
    before = district["compounds"]
    _compound(programme["other"], "新纳入小区")
    assert _headline(api)["compounds"] == before + 1


def test_it_scopes_every_figure_to_the_caller(api, people, programme):
    home = programme["home"]
    community = _headline(api, people.community_official.token)
    assert community == _direct(home.code)
    # Of the fixture's records, the community counts its own compounds, demonstration and stars only.
    assert (community["subdistricts"], community["communities"]) == (1, 1) and community["company_party_organisations"] == _direct(home.code)["company_party_organisations"]
    assert community["demonstration_subdistricts"] == 0
    assert community["star_ratings"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    subdistrict = _headline(api, people.subdistrict_official.token)
    assert subdistrict == _direct(home.parent.code[:9])
    district = _headline(api)
    assert district["company_party_organisations"] > subdistrict["company_party_organisations"]
    # The latest published round, not the older one nor the one still in publicity.
    assert district["star_ratings"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 2}
    assert district["star_ratings"] == {**district["star_ratings"], **_direct(home.code[:6])["star_ratings"]}


def test_the_chart_counts_stars_per_subdistrict_in_scope(api, people, programme):
    def chart(token):
        found = api.get("/api/stats/charts", token=token).json()
        return next(c for c in found["charts"] if c["key"] == "red_property_stars_by_subdistrict")

    home, other = programme["home"].parent, programme["other"].parent
    rows = {row[0]: row[1:] for row in chart(people.district_official.token)["rows"]}
    assert rows[home.name] == [0, 0, 1, 0, 1] and rows[other.name] == [0, 0, 0, 0, 1]
    assert sum(sum(r) for r in rows.values()) == sum(_headline(api)["star_ratings"].values())
    assert [row[0] for row in chart(people.subdistrict_official.token)["rows"]] == [home.name]


def test_a_company_account_is_given_no_one_elses_figures(api, people, programme):
    user = User.objects.create(username="wy_far", full_name="远方物业管理员", role=Role.PROPERTY_COMPANY, scope_code=programme["other"].code)
    figures = _headline(api, token_issue(user=user))
    stars = figures.pop("star_ratings")
    assert set(figures.values()) == {0} and set(stars.values()) == {0}, (figures, stars)


def test_the_records_behind_each_figure_are_those_in_scope(api, client, people, programme):
    client.force_login(people.community_official.user)
    html = client.get("/dashboard/records?figure=red_property.compounds").content.decode()
    assert "红星花园" in html and "东风楼院" in html and "西湖小区" not in html and "尚未开展小区" not in html
    assert f'href="/property/compounds/{programme["mine"][0].pk}"' in html
    assert re.search(rf'id="records-count">{_headline(api, people.community_official.token)["compounds"]}<', html)
    html = client.get("/dashboard/records?figure=red_property.communities").content.decode()
    assert programme["home"].name in html and programme["other"].name not in html
    client.force_login(people.district_official.user)
    html = client.get("/dashboard/records?figure=red_property.company_party_organisations").content.decode()
    assert "远方物业党支部" in html and "远方物业" in html
    html = client.get("/dashboard/records?figure=red_property.star_ratings.5").content.decode()
    assert "红星花园" in html and "西湖小区" in html and "2098 年度" in html and "东风楼院" not in html
    client.force_login(people.subdistrict_official.user)
    html = client.get("/dashboard/records?figure=red_property.company_party_organisations").content.decode()
    assert "远方物业党支部" not in html
    html = client.get("/dashboard/records?figure=red_property.demonstration_subdistricts").content.decode()
    assert html.count(programme["home"].parent.name) >= 2 and "党建引领" in html


def test_the_dashboard_shows_each_figure_with_a_link_to_its_records(api, client, people, programme):
    client.force_login(people.community_official.user)
    html = client.get("/dashboard").content.decode()
    for key in ("subdistricts", "communities", "compounds", "company_party_organisations", "demonstration_compounds", "star_ratings.5"):
        assert f'href="/dashboard/records?figure=red_property.{key}"' in html, key
    shown = _headline(api, people.community_official.token)["compounds"]
    assert re.search(rf'data-key="red_property.compounds".*?class="dash-number">{shown}<', html, re.S)
