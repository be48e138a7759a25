"""The demo district: the published structure, seamless, derived counts, deterministic."""

import dataclasses
import json

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from wangge.demo.generator import generate
from wangge.geo.models import Division, Grid, GridLayer
from wangge.people.models import Building


def _dump(demo) -> str:
    return json.dumps(dataclasses.asdict(demo), sort_keys=True, default=str)


@pytest.fixture(scope="module")
def generated():
    return generate(410104), generate(410104), generate(7)


def test_it_is_the_same_district_for_the_same_seed(generated):
    first, again, other = generated
    assert _dump(first) == _dump(again)
    assert json.dumps(first.grids) != json.dumps(other.grids)


def test_it_has_the_published_structure(db):
    grids = Grid.objects.filter(layer__is_active=True)
    assert [grids.filter(level=lv).count() for lv in (1, 2, 3)] == [13, 138, 564]
    assert Division.objects.filter(kind="subdistrict").count() == 12
    assert Division.objects.filter(kind="zone").count() == 1
    assert Division.objects.filter(kind="community").count() == 138
    assert all(len(d.code) == 12 and d.code.startswith("410104") for d in Division.objects.all())
    for grid in grids.filter(level=3).select_related("community", "parent"):
        assert grid.code[:12] == grid.community.code and grid.parent.code == grid.community.code + "000"


def test_it_numbers_level3_grids_from_north_west(db):
    from wangge.geo.codes import reading_order
    from wangge.geo.geometry import shapes

    for community in Division.objects.filter(kind="community")[:20]:
        grids = list(Grid.objects.filter(layer__is_active=True, level=3, community=community).order_by("code"))
        centroids = [shapes.centroid(g.geometry) for g in grids]
        assert reading_order(centroids) == list(range(len(grids)))


def test_it_is_seamless(db):
    from wangge.geo.services import coverage_of_layer

    assert coverage_of_layer(layer=GridLayer.objects.get(is_active=True))["seamless"] is True


def test_its_grid_counts_equal_the_buildings_inside(db):
    totals = {row["grid_code"]: (row["h"], row["p"]) for row in Building.objects.values("grid_code").annotate(h=Sum("households"), p=Sum("population"))}
    for grid in Grid.objects.filter(layer__is_active=True, level=3):
        assert (grid.households, grid.population) == totals.get(grid.code, (0, 0))
        assert 300 <= grid.households <= 500
    for grid in Grid.objects.filter(layer__is_active=True, level__lt=3).prefetch_related("children"):
        assert grid.households == sum(c.households for c in grid.children.all())


def test_it_refuses_to_build_over_existing_data(db, capsys):
    with pytest.raises(CommandError, match="已有区划数据"):
        call_command("demo")
    call_command("demo", "--if-empty")
    assert "跳过" in capsys.readouterr().out


def test_its_people_keep_every_rule(db):
    from wangge.geo.scope import Scope
    from wangge.people.models import GridPost, PartyOrganisation, Person
    from wangge.people.selectors.staff import staffing_by_grid
    from wangge.people.services.party import organisation_rule_errors

    basic = Grid.objects.filter(layer__is_active=True, level=3)
    cadres = GridPost.objects.filter(role="full_time")
    assert cadres.values("grid").distinct().count() == cadres.count() == basic.count()
    assert cadres.values("person").distinct().count() == cadres.count()
    assert all(PartyOrganisation.objects.filter(grids=grid).count() == 1 for grid in basic)
    grid_organisations = PartyOrganisation.objects.filter(ground=PartyOrganisation.Ground.GRID)  # companies' are property's (tests/demo/test_property_demo.py)
    assert [o.name for o in grid_organisations if organisation_rule_errors(o)] == []
    assert {o.kind for o in grid_organisations} == {"branch", "group"}
    rows = staffing_by_grid(Scope.district())
    breaking = [r for r in rows if r.problems]
    assert 0 < len(breaking) < len(rows) // 10  # a few gaps, for the report to show
    assert Person.objects.filter(household__isnull=False, residence="floating").exists()
    assert Person.objects.filter(user__role="grid_worker").count() == basic.count()
