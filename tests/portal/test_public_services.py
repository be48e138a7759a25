"""Resident services on the portal: stating a need, and following a case by its receipt number
and follow code (查询码), which the reporter sees on /my-reports and in the report's answer."""

import re

from django.test import Client

from tests.cases.factories import case_in, point_in
from tests.portal import making as make
from wangge.cases.follow import ALPHABET, case_follow, follow_code
from wangge.cases.models import Case, Department
from wangge.cases.services import case_transition
from wangge.geo.models import Division
from wangge.matching.models import Need

S = Case.Status


def _community() -> Division:
    return Division.objects.filter(kind=Division.Kind.COMMUNITY).order_by("code").last()


def _need(**fields) -> dict:
    return {"category": "养老服务", "description": "独居老人需要助餐服务", "community_code": _community().code,
            "name": "王芳", "phone": "13912345678", **fields}


def test_the_services_page_offers_report_follow_and_need():
    page = make.text(Client().get("/services"))
    for link, label in (("/report", "我要上报"), ("/follow", "进度查询"), ("/services/need", "我要提需求")):
        assert f'href="{link}"' in page and label in page


def test_anyone_states_a_need_and_gets_a_receipt(db):
    form = make.text(Client().get("/services/need"))
    community = _community()
    assert f'<option value="{community.code}">{community.name}</option>' in form and "<option value=\"养老服务\">" in form
    before = set(Need.objects.values_list("pk", flat=True))
    response = Client().post("/services/need", _need())
    (need,) = Need.objects.exclude(pk__in=before)
    assert response.status_code == 200 and need.number.startswith("XQ") and need.number in make.text(response)
    assert (need.category, need.community_code, need.name, need.phone, need.submitted_by) == ("养老服务", community.code, "王芳", "13912345678", None)


def test_a_bad_need_names_the_field_in_chinese_and_saves_nothing(db):
    client, before = Client(), Need.objects.count()
    for fields, field, message in [
        ({"category": "买彩票"}, "category", "请选择需求类别"),
        ({"description": ""}, "description", "请填写需求内容"),
        ({"community_code": "410104999999"}, "community", "请选择所在社区"),
        ({"name": ""}, "name", "请填写姓名"),
        ({"phone": "123"}, "phone", "请填写正确的手机号或固定电话"),
    ]:
        response = client.post("/services/need", _need(**fields))
        assert response.status_code == 400, fields
        assert re.search(rf'id="need-{field}-error">{message}<', make.text(response)), fields
    assert "独居老人需要助餐服务</textarea>" in make.text(response)
    assert Need.objects.count() == before


def test_needs_are_limited_per_address(db):
    client, before = Client(), Need.objects.count()
    for _ in range(5):
        assert client.post("/services/need", _need()).status_code == 200
    refused = client.post("/services/need", _need())
    assert refused.status_code == 429 and "提交过于频繁" in make.text(refused)
    assert Need.objects.count() == before + 5


def test_the_follow_code_is_six_unambiguous_characters_stable_per_number(people):
    case = case_in(people, people.home_grid)
    code = follow_code(case)
    assert len(code) == 6 and set(code) <= set(ALPHABET) and not set(code) & set("01OIL")
    other = case.number[:-1] + ("8" if case.number.endswith("9") else "9")  # another number, whatever this one ends in
    assert follow_code(case.number) == code != follow_code(other)


def _closed(people, department):
    d, h, w = people.community_official.user, people.department_handler.user, people.grid_worker.user
    case = case_in(people, people.home_grid)
    for to, who, extra in [(S.ACCEPTED, d, {}), (S.DISPATCHED, d, {"department": department}), (S.HANDLING, h, {}),
                           (S.HANDLED, h, {"reason": "已清运垃圾并恢复路面"}), (S.VERIFIED, w, {}), (S.CLOSED, d, {})]:
        case = case_transition(case=case, to=to, actor=who, **extra)
    return case


def test_following_shows_progress_and_nothing_personal(people):
    department = Department.objects.create(code="city_management", name="城市管理局")
    department.handlers.add(people.department_handler.user)
    case = _closed(people, department)
    response = Client().post("/follow", {"number": case.number.lower(), "code": f" {follow_code(case).lower()} "})
    page = make.text(response)
    assert response.status_code == 200 and f"受理编号 {case.number}" in page
    assert "已结案" in page and case.category.name in page and "已清运垃圾并恢复路面" in page
    stages = re.findall(r'<span class="stage">(.*?)</span>', page)
    assert stages == ["已上报", "已立案待派遣", "已派遣", "处置中", "已处置待核查", "已核查", "已结案"]
    for private in (case.description, "grid_worker", "community_official", "department_handler", "城市管理局", case.grid_code, str(case.lon)):
        assert private not in page, private
    found = case_follow(case.number, follow_code(case))
    assert set(found) == {"number", "category", "status", "reported_at", "stages", "result"}


def test_a_wrong_code_finds_nothing_and_says_so_in_chinese(people):
    case = case_in(people, people.home_grid)
    wrong = "".join(ALPHABET[(ALPHABET.index(c) + 1) % len(ALPHABET)] for c in follow_code(case))
    for number, code in ((case.number, wrong), ("SJ20000101000001", follow_code("SJ20000101000001")[:5] + "2")):
        response = Client().post("/follow", {"number": number, "code": code})
        assert response.status_code == 404 and "受理编号或查询码不正确" in make.text(response) and "follow-result" not in make.text(response)
    missing = Client().post("/follow", {"number": case.number, "code": ""})
    assert missing.status_code == 400 and re.search(r'id="follow-code-error">请填写查询码<', make.text(missing))
    # A number that does not exist with its own valid code is still "not found", never an error.
    assert case_follow("SJ20000101000001", follow_code("SJ20000101000001")) is None


def test_the_reporter_sees_the_follow_code_on_my_reports(people):
    case = case_in(people, people.home_grid)
    client = Client()
    client.force_login(people.grid_worker.user)
    page = make.text(client.get("/my-reports"))
    assert f"查询码 {follow_code(case)}" in page


def test_the_report_answer_carries_the_follow_code(api, people):
    lon, lat = point_in(people.home_grid)
    body = {"client_id": "follow-code-1", "category": "exposed_garbage", "description": "路边有垃圾", "lon": lon, "lat": lat}
    response = api.post("/api/cases", token=people.resident.token, json=body)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["follow_code"] == follow_code(answer["number"])
