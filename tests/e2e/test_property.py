"""A property company's manager in a real browser: signs in, lands on their company, sees
their compound and a property case in their department queue (reported in the compound,
accepted by the community's official and routed to the company), and another company's
compound answers 404."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _wangge, sign_in_on

pytestmark = pytest.mark.e2e

SETUP = """
import json
from wangge.accounts.models import Role, User
from wangge.cases.models import Case, Category
from wangge.cases.services import case_report, case_transition
from wangge.property.models import CompanyService, Compound
from wangge.property.services.companies import company_account_grant
served = CompanyService.objects.filter(ended_on__isnull=True, compound__mode=Compound.Mode.MARKET, compound__buildings__isnull=False).select_related("company", "compound").order_by("pk")
mine = served.first()
other = served.exclude(company=mine.company).first()
manager = User.objects.create(username="e2e-property-manager", full_name="物业经理", role=Role.PROPERTY_COMPANY, password="!")
company_account_grant(actor=None, company=mine.company, user=manager)
category = Category.objects.get(code="trash_bin")
category.concerns_property = True
category.save(update_fields=["concerns_property"])
building = mine.compound.buildings.order_by("pk").first()
reporter = User.objects.get(username="gw" + building.grid_code)
case, _ = case_report(reporter=reporter, category=category, description="楼下垃圾桶破损，请物业更换", lon=building.lon, lat=building.lat)
official = User.objects.filter(role=Role.DISTRICT_OFFICIAL, is_active=True).order_by("pk").first() or User.objects.create(
    username="e2e-district", role=Role.DISTRICT_OFFICIAL, scope_code=building.community.code[:6] + "000000", password="!")
case = case_transition(case=case, to=Case.Status.ACCEPTED, actor=official)
print(json.dumps({"manager": manager.username, "company": mine.company.name, "compound": mine.compound.pk, "compound_name": mine.compound.name,
                  "other": other.compound.pk, "case": case.number, "department": case.department.name}))
"""


def test_a_company_manager_sees_their_compound_and_case_and_nothing_of_another_company(page: Page, wangge_server):
    made = json.loads(_wangge(wangge_server.env, "shell", "-c", SETUP).strip().splitlines()[-1])
    assert made["department"] == made["company"]  # the case went to the compound's company
    sign_in_on(page, wangge_server, made["manager"])
    expect(page.locator("h1")).to_have_text(made["company"])  # the landing: their own company
    expect(page.locator("#served")).to_contain_text(made["compound_name"])
    page.locator("#served").get_by_role("link", name=made["compound_name"]).click()
    expect(page).to_have_url(f"{wangge_server.url}/property/compounds/{made['compound']}")
    expect(page.locator("#households")).not_to_have_text("0")

    page.get_by_role("link", name="部门待办").first.click()
    expect(page.locator("main")).to_contain_text(made["case"])

    response = page.goto(f"{wangge_server.url}/property/compounds/{made['other']}")
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text(made["compound_name"])

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{wangge_server.url}/property/compounds/{made['compound']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


OFFICE = """
import json
from wangge.accounts.models import Role, User
from wangge.core.credit_code import credit_code_compose
from wangge.geo.models import Division
subdistrict = Division.objects.filter(kind=Division.Kind.SUBDISTRICT).order_by("code").first()
User.objects.create(username="e2e-property-office", full_name="街道物业办", role=Role.SUBDISTRICT_OFFICIAL, scope_code=subdistrict.code, password="!")
code = credit_code_compose(authority="9", kind="1", division="410104", organisation_body="MA7E2E0F")
print(json.dumps({"code": code}))
"""


def test_the_property_office_registers_a_company_after_a_bad_credit_code_is_named_beside_its_field(page: Page, wangge_server):
    made = json.loads(_wangge(wangge_server.env, "shell", "-c", OFFICE).strip().splitlines()[-1])
    sign_in_on(page, wangge_server, "e2e-property-office")
    page.goto(f"{wangge_server.url}/property/platform")
    page.locator("#company-new").click()
    page.fill("#id_name", "浏览器登记物业有限公司")
    page.fill("#id_credit_code", made["code"][:9] + "O" + made["code"][10:])
    page.select_option("#id_subdistrict", index=1)  # the one subdistrict the office keeps
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_credit_code-error")).to_contain_text("第 10 位「O」")
    page.fill("#id_credit_code", made["code"])
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("浏览器登记物业有限公司")
    expect(page.locator("#company")).to_contain_text(made["code"])
