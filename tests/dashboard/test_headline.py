"""GET /api/stats/headline and `wangge stats`: figures computed from the data at request time."""

import json
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from wangge.cases.models import Case
from wangge.geo.models import Division, Grid
from wangge.people.models import Building, GridPost, PartyOrganisation, SocialOrganisation
from wangge.property.models import Compound


def _expected(grids, divisions, buildings) -> dict:
    return {
        "grids_by_level": {str(lv): grids.filter(level=lv).count() for lv in (1, 2, 3)},
        "subdistricts": divisions.filter(kind="subdistrict").count(),
        "development_zones": divisions.filter(kind="zone").count(),
        "communities": divisions.filter(kind="community").count(),
        "buildings": buildings.count(),
        "households": sum(buildings.values_list("households", flat=True)),
        "population": sum(buildings.values_list("population", flat=True)),
        **_staff_expected(GridPost.objects.filter(grid__in=grids, grid__level=3)),
        "grid_party_organisations": PartyOrganisation.objects.filter(grids__in=grids).distinct().count(),
        "social_organisations": SocialOrganisation.objects.count(),
        **_property_expected(),
        "cases_open": Case.objects.filter(duplicate_of__isnull=True).exclude(status__in=["closed", "rejected"]).count(),
        "cases_closed_last_30_days": Case.objects.filter(status="closed", closed_at__gte=timezone.now() - timedelta(days=30)).count(),
        "on_time_rate": None,
    }


def _property_expected() -> dict:
    ownerless = Compound.objects.filter(mode="ownerless")
    return {
        "property_compounds": Compound.objects.filter(kind="compound").count(),
        "property_courtyards": Compound.objects.filter(kind="courtyard").count(),
        "ownerless_courtyards": ownerless.count(),
        "ownerless_without_backstop": sum(1 for c in ownerless if not c.services.filter(ended_on__isnull=True).exists()),
    }


def _staff_expected(posts) -> dict:
    def people(rows) -> int:
        return len({person for person, in rows.values_list("person")})

    return {
        "grid_workers": people(posts.exclude(role="group")),
        "full_time_grid_workers": people(posts.filter(role="full_time")),
        "new_employment_workers": people(posts.filter(role="group", duty__new_employment=True)),
    }


def test_it_publishes_the_district_figures_from_the_data(api, people):
    figures = api.get("/api/stats/headline").json()
    expected = _expected(Grid.objects.filter(layer__is_active=True), Division.objects.all(), Building.objects.all())
    # The apps of this test's data; Red Property's share is tested in tests/property/test_figures.py,
    # the service projects' in tests/projects/test_headline.py, supply and demand's in tests/matching/test_headline.py.
    elsewhere = {
        "red_property", "project_categories", "service_projects", "projects_by_category", "projects_by_status", "funds_budgeted", "funds_spent",
        "resources", "needs", "facilities",
    }
    assert {key: figures[key] for key in figures if key not in elsewhere} == expected
    assert figures["grids_by_level"] == {"1": 13, "2": 138, "3": 564}
    assert (figures["subdistricts"], figures["development_zones"], figures["communities"]) == (12, 1, 138)
    published = ("grid_workers", "full_time_grid_workers", "grid_party_organisations", "social_organisations")
    assert tuple(figures[k] for k in published) == (2497, 564, 564, 1143)
    assert figures["new_employment_workers"] > 0


def test_it_changes_when_the_data_changes(api, people):
    before = api.get("/api/stats/headline").json()
    template = Building.objects.first()
    Building.objects.create(community=template.community, name="新楼", lon=template.lon, lat=template.lat, grid_code=template.grid_code, households=7)
    after = api.get("/api/stats/headline").json()
    assert (after["buildings"], after["households"]) == (before["buildings"] + 1, before["households"] + 7)


def test_it_scopes_the_figures_to_the_caller(api, people):
    community = people.home_grid.community
    figures = api.get("/api/stats/headline", token=people.community_official.token).json()
    buildings = Building.objects.filter(grid_code__startswith=community.code)
    assert figures["buildings"] == buildings.count()
    assert figures["households"] == sum(buildings.values_list("households", flat=True))
    assert figures["grids_by_level"]["3"] == Grid.objects.filter(layer__is_active=True, level=3, community=community).count()
    assert figures["grids_by_level"]["1"] == 1 and figures["communities"] == 1


def test_the_command_prints_the_same_figures(api, capsys):
    call_command("stats", "--json")
    assert json.loads(capsys.readouterr().out) == api.get("/api/stats/headline").json()
