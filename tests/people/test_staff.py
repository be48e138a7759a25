"""Grid posts under 一格一干 多专多群 and the staffing report."""

import pytest
from django.db import IntegrityError, transaction

from wangge.geo.models import Grid
from wangge.people.models import Duty, GridPost

from .ids import id_number


def _post(api, people, grid: Grid, role: str, duty: str | None = None, **person):
    # Posting someone not yet registered: only the district registers a person who lives
    # nowhere in its communities (tests/people/test_id_number_scope.py).
    payload = {"grid_code": grid.code, "role": role, "duty": duty, "name": "李四", "id_number": id_number(), "phone": "13900001111", **person}
    return api.post("/api/staff", token=people.district_official.token, json=payload)


def test_a_grid_has_one_cadre(api, people):
    cadre = GridPost.objects.get(grid=people.home_grid, role="full_time").person
    response = _post(api, people, people.home_grid, "full_time")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "role", "reason": f"网格 {people.home_grid.code} 已有专职网格员：{cadre.name}"}]


def test_a_person_is_cadre_of_one_grid_at_most(api, people):
    neighbour = Grid.objects.filter(layer__is_active=True, level=3, community=people.home_grid.community).exclude(pk=people.home_grid.pk).first()
    GridPost.objects.filter(grid=neighbour, role="full_time").delete()
    cadre = GridPost.objects.get(grid=people.home_grid, role="full_time").person
    response = _post(api, people, neighbour, "full_time", id_number=cadre.id_number, name=cadre.name)
    assert response.status_code == 400 and "一人只能专职一个网格" in response.json()["detail"]


def test_the_database_refuses_a_second_cadre_too(people):
    other_cadre = GridPost.objects.get(grid=people.other_grid, role="full_time").person
    with pytest.raises(IntegrityError), transaction.atomic():
        GridPost.objects.create(grid=people.home_grid, person=other_cadre, role="full_time")


def test_a_person_may_serve_several_grids_in_a_group_role(api, people):
    neighbour = Grid.objects.filter(layer__is_active=True, level=3, community=people.home_grid.community).exclude(pk=people.home_grid.pk).first()
    courier = id_number()
    first = _post(api, people, people.home_grid, "group", "快递员", id_number=courier, name="王快递")
    second = _post(api, people, neighbour, "group", "快递员", id_number=courier, name="王快递")
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert first.json()["person"]["id"] == second.json()["person"]["id"] and first.json()["new_employment"] is True
    assert first.json()["person"]["phone"] == "139****1111"


def test_specialists_and_groups_name_a_duty_from_the_districts_list(api, people):
    assert _post(api, people, people.home_grid, "specialist").status_code == 400
    assert _post(api, people, people.home_grid, "specialist", "楼院长").status_code == 400  # a group duty
    assert _post(api, people, people.home_grid, "specialist", "安全生产监督员").status_code == 400
    Duty.objects.create(code="work_safety", name="安全生产监督员", kind="specialist")
    assert _post(api, people, people.home_grid, "specialist", "安全生产监督员").status_code == 201


def test_a_refused_post_keeps_no_new_person(api, people):
    from wangge.people.models import Person

    before = Person.objects.count()
    assert _post(api, people, people.home_grid, "full_time").status_code == 400
    assert Person.objects.count() == before


def test_an_unknown_grid_and_a_grid_out_of_scope_get_the_same_400_naming_the_field(api, people):
    from wangge.people.models import Person

    def add(grid_code: str):
        payload = {"grid_code": grid_code, "role": "group", "duty": "志愿者", "name": "赵五", "id_number": id_number()}
        return api.post("/api/staff", token=people.community_official.token, json=payload)

    before = (Person.objects.count(), GridPost.objects.count())
    unknown, elsewhere = add("410104999999001"), add(people.other_grid.code)
    assert (unknown.status_code, elsewhere.status_code) == (400, 400), elsewhere.text
    assert unknown.json() == elsewhere.json()
    assert [e["field"] for e in unknown.json()["errors"]] == ["grid_code"]
    assert "网格" in unknown.json()["errors"][0]["reason"]
    assert people.other_grid.code not in elsewhere.text and people.other_grid.name not in elsewhere.text
    assert (Person.objects.count(), GridPost.objects.count()) == before


def test_grid_workers_cannot_change_staff(api, people):
    payload = {"grid_code": people.home_grid.code, "role": "group", "duty": "志愿者", "name": "赵五", "id_number": id_number()}
    assert api.post("/api/staff", token=people.grid_worker.token, json=payload).status_code == 403
    post = GridPost.objects.filter(grid=people.home_grid, role="group").first()
    assert api.delete(f"/api/staff/{post.pk}", token=people.grid_worker.token).status_code == 403
    other = GridPost.objects.filter(grid=people.other_grid).first()
    assert api.get(f"/api/staff/{other.pk}", token=people.grid_worker.token).status_code == 404


def _report(api, people, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return api.get(f"/api/staff/report?{params}", token=people.community_official.token).json()


def _problems(report, code):
    return next((g["problems"] for g in report["grids"] if g["code"] == code), [])


def test_the_report_names_grids_breaking_the_rule_and_why(api, people):
    home = people.home_grid
    assert _problems(_report(api, people), home.code) == []
    GridPost.objects.filter(grid=home, role__in=["full_time", "specialist"]).delete()
    report = _report(api, people)
    assert _problems(report, home.code) == ["没有专职网格员", "专业力量0人，少于2人"]
    community = next(r for r in report["rollup"] if r["code"] == home.community.code)
    subdistrict = next(r for r in report["rollup"] if r["code"] == home.community.parent.code)
    grids = Grid.objects.filter(layer__is_active=True, level=3, community=home.community).count()
    assert community["grids"] == grids and community["breaking"] >= 1
    assert community["reasons"]["没有专职网格员"] == 1 and subdistrict["reasons"]["没有专职网格员"] >= 1


def test_the_minimums_are_configurable(api, people, settings):
    settings.WANGGE_STAFFING_MIN_GROUPS = 50
    report = _report(api, people, breaking_only="false")
    assert all("群防群治力量" in " ".join(g["problems"]) for g in report["grids"])


def test_the_locator_names_the_grids_cadre(api, people):
    from wangge.geo.geometry import shapes

    cadre = GridPost.objects.get(grid=people.home_grid, role="full_time").person
    point = shapes.from_geojson(people.home_grid.geometry).representative_point()
    lon, lat = point.x, point.y
    found = api.get(f"/api/locate?lon={lon}&lat={lat}").json()
    assert found["grid_worker"] == cadre.name
