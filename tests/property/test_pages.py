"""The back-office pages: the subdistrict's property platform with its case figures computed
from records, the reports, and who may open them."""

import re

import pytest

from wangge.cases.models import Case, Category
from wangge.cases.services import case_report, case_transition


@pytest.fixture
def property_case(people, estate) -> Case:
    category = Category.objects.get(code="trash_bin")
    category.concerns_property = True
    category.save(update_fields=["concerns_property"])
    building = estate.compound.buildings.order_by("pk").first()
    case, _ = case_report(reporter=people.grid_worker.user, category=category, description="垃圾桶破损", lon=building.lon, lat=building.lat)
    return case_transition(case=case, to=Case.Status.ACCEPTED, actor=people.district_official.user)


def _row(html: str, row_id: str) -> str:
    return re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S).group(1)


def _numbers(row: str) -> list[str]:
    return re.findall(r'<td class="num">(?:<span[^>]*>)?([\d,]+)', row)


def test_the_platform_counts_open_property_cases_by_company_and_compound(client, people, estate, property_case):
    client.force_login(people.subdistrict_official.user)
    page = client.get("/property/platform").content.decode()
    assert estate.company.subdistrict.name + "物管平台" in page
    compound_row = _row(page, f"platform-compound-{estate.compound.pk}")
    assert _numbers(compound_row)[-2:] == ["1", "0"]
    company_row = _row(page, f"platform-company-{estate.company.pk}")
    assert _numbers(company_row)[1:] == ["1", "0"]
    assert re.search(r'id="open-total">1<', page)


def test_the_platform_counts_a_case_past_its_deadline_as_overdue(client, people, estate, property_case):
    from datetime import timedelta

    from django.utils import timezone

    Case.objects.filter(pk=property_case.pk).update(deadline_at=timezone.now() - timedelta(hours=1))
    client.force_login(people.subdistrict_official.user)
    page = client.get("/property/platform").content.decode()
    assert _numbers(_row(page, f"platform-compound-{estate.compound.pk}"))[-2:] == ["1", "1"]
    assert re.search(r'id="overdue-total">1<', page)


def test_the_reports_open_for_officials_and_not_for_companies(client, people, estate):
    pages = ["/property/platform", "/property/reports/ownerless", "/property/reports/party", "/property/reports/cross-appointment"]
    client.force_login(people.community_official.user)
    for path in pages + ["/property/compounds", "/property/companies", f"/property/compounds/{estate.compound.pk}"]:
        assert client.get(path).status_code == 200, path
    client.force_login(estate.manager.user)
    for path in pages:
        assert client.get(path).status_code == 403, path
    listed = client.get("/property/compounds").content.decode()
    assert estate.compound.name in listed and estate.other_compound.name not in listed


def test_the_company_page_shows_its_compounds_staff_and_party_work(client, people, estate):
    for user in (people.district_official.user, estate.manager.user):
        client.force_login(user)
        page = client.get(f"/property/companies/{estate.company.pk}").content.decode()
        assert estate.company.credit_code in page and estate.compound.name in page
        assert all(s.person.name in page for s in estate.company.staff.select_related("person"))


def test_the_compound_page_shows_figures_summed_from_the_registry(client, people, estate):
    client.force_login(people.community_official.user)
    page = client.get(f"/property/compounds/{estate.compound.pk}").content.decode()
    households = sum(estate.compound.buildings.values_list("households", flat=True))
    assert re.search(rf'id="households">{households:,}<', page)
