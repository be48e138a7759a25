"""Red Property demonstrations: designations per year with their criteria, and the coverage
counted from them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.geo.models import Division
from wangge.property.demonstrations.services import coverage, demonstration_designate
from wangge.property.models import Compound
from wangge.property.models.demonstrations import Demonstration

pytestmark = pytest.mark.django_db


def test_it_counts_the_coverage_from_the_designations(people):
    official = people.district_official.user
    community = people.home_grid.community
    compound = Compound.objects.create(name="示范花园", kind=Compound.Kind.COMPOUND, mode=Compound.Mode.MARKET, community=community)
    before = coverage(year=2026)
    demonstration_designate(year=2025, level="subdistrict", division=community.parent, criteria=["party_led", "backstop"], actor=official)
    demonstration_designate(year=2026, level="subdistrict", division=community.parent, criteria=["party_led"], actor=official)
    demonstration_designate(year=2026, level="community", division=community, criteria=["owners_committee"], actor=official)
    demonstration_designate(year=2026, level="compound", compound=compound, criteria=["star_rating"], actor=official)
    after = coverage(year=2026)
    assert after["subdistricts"]["designated"] == before["subdistricts"]["designated"] + 1  # one subdistrict, twice designated
    assert after["communities"]["designated"] == before["communities"]["designated"] + 1
    assert after["compounds"] == {"designated": before["compounds"]["designated"] + 1, "of": before["compounds"]["of"]}
    assert after["subdistricts"]["of"] == Division.objects.filter(kind=Division.Kind.SUBDISTRICT).count()
    assert coverage(year=2024)["subdistricts"]["designated"] == 0  # none before its first designation


def test_it_refuses_unknown_criteria_wrong_places_and_non_district_officials(people):
    community = people.home_grid.community
    with pytest.raises(ValidationError, match="未知的示范标准"):
        demonstration_designate(year=2026, level="community", division=community, criteria=["fast"], actor=people.district_official.user)
    with pytest.raises(ValidationError, match="示范街道须选择街道"):
        demonstration_designate(year=2026, level="subdistrict", division=community, criteria=["party_led"], actor=people.district_official.user)
    with pytest.raises(PermissionDenied):
        demonstration_designate(year=2026, level="community", division=community, criteria=["party_led"], actor=people.subdistrict_official.user)
    demonstration_designate(year=2026, level="community", division=community, criteria=["party_led"], actor=people.district_official.user)
    with pytest.raises(ValidationError, match="已是2026年度的示范"):
        demonstration_designate(year=2026, level="community", division=community, criteria=["owners_committee"], actor=people.district_official.user)


def test_the_page_shows_the_coverage_and_takes_a_designation(client, people):
    community = people.home_grid.community
    client.force_login(people.district_official.user)
    before = Demonstration.objects.filter(year__lte=2026, level="community").values("division").distinct().count()  # the demo's own
    assert not Demonstration.objects.filter(year__lte=2026, level="community", division=community).exists()
    done = client.post("/property/demonstrations", {"year": "2026", "level": "community", "place": community.code, "criteria": ["party_led", "owners_committee"]})
    assert done.status_code == 302
    page = client.get("/property/demonstrations?year=2026").content.decode()
    communities = Division.objects.filter(kind=Division.Kind.COMMUNITY).count()
    assert f"示范社区：{before + 1} / {communities}" in page and community.name in page and "依法成立业主委员会" in page
    refused = client.post("/property/demonstrations", {"year": "2026", "level": "community", "place": community.code, "criteria": []})
    assert refused.status_code == 400 and "请选择达到的示范标准" in refused.content.decode()
    client.force_login(people.community_official.user)
    assert "命名示范" not in client.get("/property/demonstrations").content.decode()
    assert client.post("/property/demonstrations", {"year": "2026", "level": "community", "place": community.code, "criteria": ["party_led"]}).status_code == 400
