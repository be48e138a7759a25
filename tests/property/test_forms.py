"""The property office's forms over real HTTP: a company registered and corrected, a company
assigned to a compound, each refused to those who may not keep the registry, and every lookup
inside them bounded by the caller's scope."""

import datetime
import re

from wangge.cases.models import Department
from wangge.core.credit_code import credit_code_compose
from wangge.geo.scope import scope_of
from wangge.people.models import Person
from wangge.people.selectors.persons import people_in_scope
from wangge.property.models import Backstop, CompanyService, PropertyCompany
from wangge.property.services.companies import company_staff_save

GOOD_CODE = credit_code_compose(authority="9", kind="1", division="410104", organisation_body="MA9K7Q2X")


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" role="alert" id="id_{field}-error">(.*?)</p>', html)
    return found.group(1) if found else ""


def test_a_valid_company_is_registered_and_shows_on_the_platform(client, people):
    client.force_login(people.subdistrict_official.user)
    subdistrict = people.home_grid.community.parent
    assert 'id="company-new"' in client.get("/property/platform").content.decode()
    response = client.post("/property/companies/new", {"name": "管城物业服务有限公司", "credit_code": GOOD_CODE.lower(), "subdistrict": subdistrict.pk, "state_owned": "on", "phone": "0371-6666"})
    company = PropertyCompany.objects.get(credit_code=GOOD_CODE)
    assert response.status_code == 302 and response.url == f"/property/companies/{company.pk}"
    assert company.state_owned and company.subdistrict == subdistrict and company.department.name == "管城物业服务有限公司"
    assert f'id="platform-company-{company.pk}"' in client.get(f"/property/platform?subdistrict={subdistrict.code}").content.decode()


def test_a_bad_credit_code_is_refused_with_its_position_beside_the_field_and_nothing_saved(client, people):
    client.force_login(people.subdistrict_official.user)
    bad = GOOD_CODE[:9] + "O" + GOOD_CODE[10:]
    companies, departments = PropertyCompany.objects.count(), Department.objects.count()
    response = client.post("/property/companies/new", {"name": "错码物业", "credit_code": bad, "subdistrict": people.home_grid.community.parent.pk})
    assert response.status_code == 200
    assert "第 10 位「O」" in _field_error(response.content.decode(), "credit_code")
    assert (PropertyCompany.objects.count(), Department.objects.count()) == (companies, departments)


def test_a_company_is_corrected_and_a_taken_code_is_refused_without_naming_its_company(client, people, estate):
    client.force_login(people.community_official.user)
    page = client.get(f"/property/companies/{estate.company.pk}").content.decode()
    assert f'href="/property/companies/{estate.company.pk}/edit"' in page
    form = {"name": estate.company.name + "（更名）", "credit_code": estate.company.credit_code, "phone": "110"}
    assert client.post(f"/property/companies/{estate.company.pk}/edit", form).status_code == 302
    estate.company.refresh_from_db()
    assert estate.company.name.endswith("（更名）") and not estate.company.state_owned and estate.company.department.name == estate.company.name
    taken = client.post(f"/property/companies/{estate.company.pk}/edit", form | {"credit_code": estate.other_company.credit_code}).content.decode()
    assert "已登记" in _field_error(taken, "credit_code") and estate.other_company.name not in taken
    estate.company.refresh_from_db()
    assert estate.company.credit_code != estate.other_company.credit_code


def test_an_official_assigns_a_company_with_its_project_manager(client, people, estate):
    manager, stranger_person = Person.objects.order_by("pk")[:2]
    company_staff_save(actor=None, company=estate.other_company, person=manager, post="project_manager")
    client.force_login(people.district_official.user)
    path = f"/property/compounds/{estate.compound.pk}/service"
    assert f'href="{path}"' in client.get(f"/property/compounds/{estate.compound.pk}").content.decode()
    stranger = client.post(path, {"company": estate.other_company.pk, "manager_id_number": stranger_person.id_number}).content.decode()
    assert "不是" in _field_error(stranger, "manager_id_number") and stranger_person.name not in stranger
    response = client.post(path, {"company": estate.other_company.pk, "manager_id_number": manager.id_number})
    assert response.status_code == 302
    current = CompanyService.objects.get(compound=estate.compound, ended_on__isnull=True)
    assert current.company == estate.other_company and current.project_manager == manager
    assert CompanyService.objects.get(compound=estate.compound, company=estate.company).ended_on is not None


def test_an_official_of_another_subdistrict_cannot_reach_a_compound_or_company_outside_their_scope(client, people, estate):
    client.force_login(people.community_official.user)
    served = CompanyService.objects.filter(ended_on__isnull=True).values_list("compound", "company").order_by("pk")
    before = list(served)
    outside = client.post(f"/property/compounds/{estate.other_compound.pk}/service", {"company": estate.company.pk})
    assert outside.status_code == 404 and estate.other_compound.name not in outside.content.decode()
    assert client.get(f"/property/companies/{estate.other_company.pk}/edit").status_code == 404
    # An in-scope compound, an out-of-scope company: refused beside the field, naming nothing.
    page = client.post(f"/property/compounds/{estate.compound.pk}/service", {"company": estate.other_company.pk}).content.decode()
    assert "辖区内的企业" in _field_error(page, "company") and estate.other_company.name not in page
    assert list(served) == before


def test_a_company_account_cannot_use_the_forms(client, people, estate):
    client.force_login(estate.manager.user)
    assert client.get("/property/companies/new").status_code == 403
    assert client.post("/property/companies/new", {"name": "冒名物业", "credit_code": GOOD_CODE}).status_code == 403
    assert client.post(f"/property/companies/{estate.company.pk}/edit", {"name": "改名", "credit_code": estate.company.credit_code}).status_code == 403
    assert client.post(f"/property/compounds/{estate.compound.pk}/service", {"company": estate.company.pk}).status_code == 403
    assert not PropertyCompany.objects.filter(credit_code=GOOD_CODE).exists()
    assert 'id="company-edit"' not in client.get(f"/property/companies/{estate.company.pk}").content.decode()


def test_an_official_ends_a_service_not_before_it_started(client, people, estate):
    client.force_login(people.community_official.user)
    path = f"/property/compounds/{estate.compound.pk}/service/end"
    service = CompanyService.objects.get(compound=estate.compound, ended_on__isnull=True)
    early = client.post(path, {"ended_on": str(service.started_on - datetime.timedelta(days=1))}).content.decode()
    assert str(service.started_on) in _field_error(early, "ended_on")
    service.refresh_from_db()
    assert service.ended_on is None
    assert client.post(path, {"ended_on": str(service.started_on)}).status_code == 302
    service.refresh_from_db()
    assert service.ended_on == service.started_on
    assert "没有物业服务企业" in _field_error(client.post(path, {}).content.decode(), "ended_on")
    assert client.post(f"/property/compounds/{estate.other_compound.pk}/service/end", {}).status_code == 404


def test_a_subdistrict_names_a_state_owned_backstop_within_its_scope(client, people, estate):
    subdistrict = people.home_grid.community.parent
    client.force_login(people.subdistrict_official.user)
    PropertyCompany.objects.filter(pk=estate.company.pk).update(state_owned=False)
    refused = client.post("/property/backstop", {"subdistrict": subdistrict.pk, "company": estate.company.pk}).content.decode()
    assert "不是国有企业" in _field_error(refused, "company")
    elsewhere = client.post("/property/backstop", {"subdistrict": estate.other_company.subdistrict.pk, "company": estate.other_company.pk}).content.decode()
    assert "辖区内" in _field_error(elsewhere, "subdistrict") and estate.other_company.name not in elsewhere
    assert not Backstop.objects.filter(company__in=[estate.company, estate.other_company]).exists()
    PropertyCompany.objects.filter(pk=estate.company.pk).update(state_owned=True)
    assert client.post("/property/backstop", {"subdistrict": subdistrict.pk, "company": estate.company.pk}).status_code == 302
    assert Backstop.objects.get(subdistrict=subdistrict).company == estate.company
    client.force_login(estate.manager.user)
    assert client.get("/property/backstop").status_code == 403


def test_staff_and_instructors_are_added_by_id_number_within_the_callers_scope(client, people, estate):
    official = people.community_official.user
    ours = people_in_scope(scope_of(official)).order_by("pk")
    member, worker = ours[0], ours[1]
    stranger = people_in_scope(scope_of(people.other_grid_worker.user)).exclude(pk__in=ours.values("pk")).first()
    Person.objects.filter(pk=member.pk).update(party=Person.Party.FULL)
    Person.objects.filter(pk=worker.pk).update(party=Person.Party.NONE)
    client.force_login(official)
    staff_path, instructor_path = f"/property/companies/{estate.company.pk}/staff", f"/property/companies/{estate.company.pk}/instructors"
    assert f'href="{staff_path}"' in client.get(f"/property/companies/{estate.company.pk}").content.decode()

    outside = client.post(staff_path, {"id_number": stranger.id_number, "post": "staff"}).content.decode()
    assert "未登记的人员" in _field_error(outside, "id_number") and stranger.name not in outside
    assert client.post(staff_path, {"id_number": worker.id_number, "post": "project_manager"}).status_code == 302
    assert estate.company.staff.get(person=worker).post == "project_manager"

    sent_by = people.home_grid.community
    not_member = client.post(instructor_path, {"id_number": worker.id_number, "sent_by": sent_by.pk}).content.decode()
    assert "不是中共正式党员" in _field_error(not_member, "id_number")
    assert client.post(instructor_path, {"id_number": member.id_number, "sent_by": sent_by.pk}).status_code == 302
    assert estate.company.party_instructors.get(ended_on__isnull=True, person=member).sent_by == sent_by
    assert client.post(f"/property/companies/{estate.other_company.pk}/staff", {"id_number": member.id_number, "post": "staff"}).status_code == 404
    assert not estate.other_company.staff.filter(person=member).exists()


def test_an_instructor_is_recalled_by_an_official_of_the_companys_scope_not_before_being_sent(client, people, estate):
    official = people.community_official.user
    member = people_in_scope(scope_of(official)).order_by("pk").first()
    Person.objects.filter(pk=member.pk).update(party=Person.Party.FULL)
    client.force_login(official)
    base = f"/property/companies/{estate.company.pk}/instructors"
    started = datetime.date(2026, 3, 1)
    assert client.post(base, {"id_number": member.id_number, "sent_by": people.home_grid.community.pk, "started_on": started}).status_code == 302
    sent = estate.company.party_instructors.get(person=member, ended_on__isnull=True)
    end = f"{base}/{sent.pk}/end"
    assert f'href="{end}"' in client.get(f"/property/companies/{estate.company.pk}").content.decode()

    early = client.post(end, {"ended_on": "2026-02-01"}).content.decode()
    assert "不能早于选派日期 2026-03-01" in _field_error(early, "ended_on")
    assert client.post(end, {"ended_on": "2026-06-30"}).status_code == 302
    sent.refresh_from_db()
    assert sent.ended_on == datetime.date(2026, 6, 30)
    assert client.post(end, {}).status_code == 404  # ended: no longer among the company's instructors
    # Another company's path does not reach this instructor; a company account may not recall.
    assert client.post(f"/property/companies/{estate.other_company.pk}/instructors/{sent.pk}/end", {}).status_code == 404
    client.force_login(estate.manager.user)
    assert client.post(end, {}).status_code == 403


def test_a_company_account_is_granted_by_username_and_other_accounts_are_refused_alike(client, people, estate):
    from wangge.accounts.models import Role, User

    opened = User.objects.create(username="new_company_login", role=Role.PROPERTY_COMPANY, scope_code="")
    client.force_login(people.community_official.user)
    path = f"/property/companies/{estate.company.pk}/accounts"
    for username in ("no_such_login", people.resident.user.username, estate.other_manager.user.username):
        page = client.post(path, {"username": username}).content.decode()
        assert _field_error(page, "username") in ("没有该用户名的物业服务企业账号", "账号「other_company_manager」已属于另一家企业"), username
        assert estate.other_company.name not in page
    assert client.post(path, {"username": opened.username}).status_code == 302
    assert estate.company.accounts.filter(user=opened).exists()
    assert opened in estate.company.department.handlers.all()  # it handles the company's cases
    assert "new_company_login" in client.get(f"/property/companies/{estate.company.pk}").content.decode()
    assert client.post(f"/property/companies/{estate.other_company.pk}/accounts", {"username": opened.username}).status_code == 404
