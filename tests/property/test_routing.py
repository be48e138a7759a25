"""A property case reported in a compound goes to the compound's company when it is accepted;
an ownerless courtyard's goes to the backstop company; any other case waits for the dispatcher.
Which compound holds a point is answered for many points at once."""

import json

import pytest

from wangge.cases.models import Case, Category
from wangge.cases.selectors_pages import department_queue
from wangge.cases.services import case_report, case_transition
from wangge.geo.models import Division
from wangge.property.locating import compounds_at
from wangge.property.models import Backstop, CompanyService, Compound

S = Case.Status


@pytest.fixture
def property_category(db) -> Category:
    category = Category.objects.get(code="trash_bin")
    category.concerns_property = True
    category.save(update_fields=["concerns_property"])
    return category


def _report_at(compound: Compound, category: Category, reporter) -> Case:
    building = compound.buildings.order_by("pk").first()
    case, _ = case_report(reporter=reporter, category=category, description="小区内垃圾桶破损，无人清理", lon=building.lon + 0.0001, lat=building.lat)
    return case


def _accept(case: Case, people) -> Case:
    official = people.district_official.user
    return case_transition(case=Case.objects.get(pk=case.pk), to=S.ACCEPTED, actor=official)


def test_it_sends_a_property_case_to_the_compounds_company(people, estate, property_category):
    case = _accept(_report_at(estate.compound, property_category, people.grid_worker.user), people)
    assert case.status == S.DISPATCHED and case.department == estate.company.department
    assert estate.compound.name in case.instructions
    assert case.transitions.order_by("pk").last().actor == people.district_official.user
    assert list(department_queue(estate.manager.user)) == [case]
    assert list(department_queue(estate.other_manager.user)) == []


def test_it_leaves_other_categories_to_the_dispatcher(people, estate):
    ordinary = Category.objects.filter(concerns_property=False, active=True).exclude(code="trash_bin").first()
    case = _accept(_report_at(estate.compound, ordinary, people.grid_worker.user), people)
    assert case.status == S.ACCEPTED and case.department is None


def test_it_sends_an_ownerless_courtyards_case_to_the_backstop_company(people, property_category):
    backstop = Backstop.objects.select_related("company").order_by("pk").first()
    courtyard = Compound.objects.filter(mode=Compound.Mode.OWNERLESS, community__parent=backstop.subdistrict, buildings__isnull=False).first()
    CompanyService.objects.filter(compound=courtyard).delete()  # not assigned yet: the subdistrict's backstop still answers
    case = _accept(_report_at(courtyard, property_category, people.grid_worker.user), people)
    assert case.status == S.DISPATCHED and case.department == backstop.company.department


def test_it_leaves_a_case_outside_every_compound_to_the_dispatcher(people, property_category):
    community = Division.objects.get(pk=people.home_grid.community_id)
    lon, lat = _far_from_buildings(community)
    case, _ = case_report(reporter=people.grid_worker.user, category=property_category, description="路面垃圾", lon=lon, lat=lat)
    assert _accept(case, people).status == S.ACCEPTED


def _far_from_buildings(community: Division) -> tuple[float, float]:
    """A point of the community's grid at least 100 m from every building."""
    from wangge.geo.geometry.transform import distance_m
    from wangge.people.models import Building

    sites = list(Building.objects.values_list("lon", "lat"))
    ring = community.geometry["coordinates"][0] if community.geometry["type"] == "Polygon" else community.geometry["coordinates"][0][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    for i in range(1, 40):
        for j in range(1, 40):
            lon, lat = min(xs) + (max(xs) - min(xs)) * i / 40, min(ys) + (max(ys) - min(ys)) * j / 40
            if _inside(ring, lon, lat) and all(distance_m(lon, lat, x, y) > 100 for x, y in sites if abs(x - lon) < 0.01 and abs(y - lat) < 0.01):
                return lon, lat
    raise AssertionError("no open ground in the community")


def _inside(ring, x, y) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_it_locates_many_points_in_a_fixed_number_of_queries(estate, django_assert_num_queries):
    building = estate.compound.buildings.order_by("pk").first()
    outlined = estate.other_compound
    lon, lat = 113.70, 34.70
    outlined.boundary = json.dumps({"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001], [lon, lat]]]})
    outlined.save(update_fields=["boundary"])
    # 20 m and 60 m east of a building (1e-5 degree of longitude is about 0.92 m here).
    points = [(lon + 0.0005, lat + 0.0005), (building.lon + 0.00022, building.lat), (building.lon + 0.00065, building.lat), (0.0, 0.0)]
    with django_assert_num_queries(2):
        found = compounds_at([p[0] for p in points], [p[1] for p in points])
    near_building = estate.compound.pk
    assert found[0] == outlined.pk and found[1] == near_building and found[3] is None
    assert found[2] != near_building or _another_building_nearby(building, estate.compound)


def _another_building_nearby(building, compound) -> bool:
    from wangge.geo.geometry.transform import distance_m

    return any(distance_m(building.lon + 0.00065, building.lat, b.lon, b.lat) <= 30 for b in compound.buildings.exclude(pk=building.pk))


def test_the_company_handles_its_case_and_another_company_cannot_see_it(api, people, estate, property_category):
    case = _accept(_report_at(estate.compound, property_category, people.grid_worker.user), people)
    other = api.post(f"/api/cases/{case.pk}/transition", token=estate.other_manager.token, json={"to": "handling"})
    assert other.status_code == 404 and estate.compound.name not in other.text
    assert api.get(f"/api/cases/{case.pk}", token=estate.other_manager.token).status_code == 404
    handled = api.post(f"/api/cases/{case.pk}/transition", token=estate.manager.token, json={"to": "handling"})
    assert handled.status_code == 200, handled.text
    assert Case.objects.get(pk=case.pk).status == S.HANDLING
