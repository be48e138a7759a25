"""Residents over the API: registered in a dwelling, encrypted at rest, masked, scoped."""

import re
from datetime import date

from django.db import connection

from wangge.core import pii
from wangge.geo.scope import Scope
from wangge.people.models import Building, GridPost, Household, Person
from wangge.people.selectors.persons import resident_list

from .ids import id_number

SENSITIVE_COLUMNS = ("id_number", "phone", "ethnicity", "religion", "health")


def _payload(building: Building, **extra) -> dict:
    return {
        "building_id": building.pk,
        "unit": "2",
        "room": "301",
        "name": "张三丰",
        "id_number": id_number(born=date(1950, 3, 4)),
        "phone": "13812345678",
        "ethnicity": "回族",
        "religion": "伊斯兰教",
        "health": "高血压",
        "residence": "floating",
        "party": "full",
        "care_categories": ["独居老人", "veteran"],
        **extra,
    }


def _home_building(people) -> Building:
    return Building.objects.filter(grid_code=people.home_grid.code).first()


def test_it_registers_a_resident_masked_with_birth_date_and_sex_from_the_id(api, people):
    building = _home_building(people)
    payload = _payload(building)
    response = api.post("/api/residents", token=people.grid_worker.token, json=payload)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["name"], body["phone"]) == ("张**", "138****5678")
    assert body["id_number"] == payload["id_number"][:6] + "********" + payload["id_number"][-4:]
    assert (body["ethnicity"], body["religion"], body["health"]) == ("***", "***", "***")
    assert body["sex"] == "男" and body["age"] == date.today().year - 1950 - ((date.today().month, date.today().day) < (3, 4))
    assert body["address"] == building.address + "2单元301室" and body["grid_code"] == people.home_grid.code
    assert sorted(body["care_categories"]) == ["独居老人", "退役军人"]
    person = Person.objects.get(pk=body["id"])
    assert (person.id_number, person.phone, person.birth_date) == (payload["id_number"], "13812345678", date(1950, 3, 4))


def test_it_stores_no_personal_field_in_clear(api, people):
    payload = _payload(_home_building(people))
    api.post("/api/residents", token=people.grid_worker.token, json=payload)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(SENSITIVE_COLUMNS)} FROM people_person")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    for plain in (payload["id_number"], "13812345678", "回族", "伊斯兰教", "高血压"):
        assert plain not in stored
    assert not re.search(r"\d{17}[\dX]|1[3-9]\d{9}", stored)


def test_no_response_carries_a_full_id_or_phone(api, people):
    listing = api.get(f"/api/residents?grid={people.home_grid.code}&limit=1000", token=people.community_official.token).text
    assert not re.search(r"\d{17}[\dXx]|1[3-9]\d{9}", listing)
    person = resident_list(Scope.district()).first()
    assert pii.mask_id(person.id_number) in api.get(f"/api/residents/{person.pk}", token=people.district_official.token).text


def _bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_it_refuses_bad_fields_naming_each_and_saves_nothing(api, people):
    before = (Person.objects.count(), Household.objects.count())
    bad = _payload(_home_building(people), id_number=_bad_check_digit(id_number()), phone="12345", room="909")
    response = api.post("/api/residents", token=people.grid_worker.token, json=bad)
    assert response.status_code == 400
    errors = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert errors["id_number"] == "校验位错误" and "格式错误" in errors["phone"]
    assert (Person.objects.count(), Household.objects.count()) == before
    unknown_category = api.post("/api/residents", token=people.grid_worker.token, json={**_payload(_home_building(people)), "care_categories": ["外星人"]})
    assert unknown_category.status_code == 400 and "外星人" in unknown_category.json()["detail"]
    assert (Person.objects.count(), Household.objects.count()) == before


def test_it_refuses_an_id_number_already_registered(api, people):
    payload = _payload(_home_building(people))
    assert api.post("/api/residents", token=people.grid_worker.token, json=payload).status_code == 201
    again = api.post("/api/residents", token=people.grid_worker.token, json={**payload, "room": "302", "id_number": payload["id_number"].lower()})
    assert again.status_code == 400 and again.json()["errors"] == [{"field": "id_number", "reason": "该身份证号已登记"}]


def test_a_grid_worker_cannot_see_another_grids_residents(api, people):
    other = Person.objects.filter(household__building__grid_code=people.other_grid.code).first()
    token = people.grid_worker.token
    for method in ("GET", "PATCH", "DELETE"):
        response = api.request(method, f"/api/residents/{other.pk}", token=token, json={"name": "改名"} if method == "PATCH" else None)
        assert response.status_code == 404, method
    assert Person.objects.get(pk=other.pk).name == other.name
    listed = api.get("/api/residents?limit=1000", token=token).json()["items"]
    assert listed and {r["grid_code"] for r in listed} == {people.home_grid.code}
    assert api.get(f"/api/residents?grid={people.other_grid.code}", token=token).json()["count"] == 0


def test_moving_out_keeps_a_person_who_still_serves_and_removes_one_who_does_not(api, people):
    served = set(GridPost.objects.values_list("person_id", flat=True))
    # Serving includes being named by property: owning a dwelling, sitting on an owners' committee, working for a company.
    plain = Person.objects.filter(
        household__building__grid_code=people.home_grid.code, party="none", social_memberships__isnull=True,
        dwelling_ownerships__isnull=True, owners_committee_posts__isnull=True, property_jobs__isnull=True,
    ).exclude(pk__in=served).first()
    assert api.delete(f"/api/residents/{plain.pk}", token=people.grid_worker.token).status_code == 204
    assert not Person.objects.filter(pk=plain.pk).exists()
    staff = Person.objects.filter(household__isnull=False, posts__grid=people.home_grid).first() or _make_resident_staff(people)
    assert api.delete(f"/api/residents/{staff.pk}", token=people.grid_worker.token).status_code == 204
    staff.refresh_from_db()
    assert staff.household is None and staff.residence == ""


def _make_resident_staff(people) -> Person:
    cadre = GridPost.objects.get(grid=people.home_grid, role="full_time").person
    cadre.household = Household.objects.filter(building__grid_code=people.home_grid.code).first()
    cadre.residence = "registered"
    cadre.save()
    return cadre


def test_residents_may_not_register_people(api, people):
    response = api.post("/api/residents", token=people.resident.token, json=_payload(_home_building(people)))
    assert response.status_code in (403, 404)


def test_a_resident_is_registered_or_floating(api, people):
    response = api.post("/api/residents", token=people.grid_worker.token, json=_payload(_home_building(people), residence="visitor"))
    assert response.status_code == 400 and [e["field"] for e in response.json()["errors"]] == ["residence"]
    person = Person.objects.filter(household__building__grid_code=people.home_grid.code).first()
    moved = api.patch(f"/api/residents/{person.pk}", token=people.grid_worker.token, json={"residence": ""})
    assert moved.status_code == 400 and moved.json()["errors"] == [{"field": "residence", "reason": "人口类型应为户籍人口或流动人口"}]
    assert Person.objects.get(pk=person.pk).residence == person.residence


def test_departments_do_not_read_the_residents_roll(api, people):
    person = Person.objects.filter(household__building__grid_code=people.home_grid.code).first()
    assert api.get("/api/residents", token=people.department_handler.token).status_code == 403
    assert api.get(f"/api/residents/{person.pk}", token=people.department_handler.token).status_code == 403
    assert api.get("/api/residents?limit=1", token=people.district_official.token).json()["count"] > 0
