"""Registering a company: its credit code checked (GB 32100 and GB 11714) with the bad
position named, nothing half-saved, and its own case department; backstops named by code."""

from wangge.cases.models import Department
from wangge.core.credit_code import credit_code_compose
from wangge.property.models import Backstop, PropertyCompany

GOOD = credit_code_compose(authority="9", kind="1", division="410104", organisation_body="QT100001")


def _register(api, persona, subdistrict, **extra):
    payload = {"name": "测试物业服务有限公司", "credit_code": GOOD, "subdistrict_code": subdistrict.code, **extra}
    return api.post("/api/property/companies", token=persona.token, json=payload)


def test_it_refuses_a_bad_credit_code_naming_its_position(api, people):
    subdistrict = people.home_grid.community.parent
    bad = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
    for code, position in ((bad, "第 18 位"), (GOOD[:9] + "O" + GOOD[10:], "第 10 位「O」"), (GOOD[:5], "18 位")):
        response = _register(api, people.subdistrict_official, subdistrict, credit_code=code)
        assert response.status_code == 400, response.text
        [error] = response.json()["errors"]
        assert error["field"] == "credit_code" and position in error["reason"]
    assert not PropertyCompany.objects.filter(name="测试物业服务有限公司").exists()
    assert not Department.objects.filter(name="测试物业服务有限公司").exists()


def test_it_registers_a_company_with_its_own_case_department(api, people):
    subdistrict = people.home_grid.community.parent
    response = _register(api, people.subdistrict_official, subdistrict, credit_code=GOOD.lower())
    assert response.status_code == 201, response.text
    company = PropertyCompany.objects.get(pk=response.json()["id"])
    assert company.credit_code == GOOD and company.department.kind == Department.Kind.PROPERTY_COMPANY
    again = _register(api, people.subdistrict_official, subdistrict, name="另一家物业")
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "credit_code"


def test_it_refuses_a_subdistrict_out_of_scope_and_company_accounts(api, people, estate):
    other = estate.other_company.subdistrict
    assert _register(api, people.subdistrict_official, other).status_code == 404
    assert _register(api, estate.manager, estate.company.subdistrict).status_code == 403
    assert not PropertyCompany.objects.filter(credit_code=GOOD).exists()


def test_a_backstop_is_named_by_a_credit_code_found_in_scope_only(api, people, estate):
    subdistrict = people.home_grid.community.parent
    foreign = estate.other_company.subdistrict.property_companies.get(state_owned=True)
    hidden = api.post("/api/property/backstops", token=people.subdistrict_official.token, json={"subdistrict_code": subdistrict.code, "credit_code": foreign.credit_code})
    assert hidden.status_code == 404 and foreign.name not in hidden.text
    own = subdistrict.property_companies.get(state_owned=True)
    named = api.post("/api/property/backstops", token=people.subdistrict_official.token, json={"subdistrict_code": subdistrict.code, "credit_code": own.credit_code})
    assert named.status_code == 200 and Backstop.objects.get(subdistrict=subdistrict).company == own
