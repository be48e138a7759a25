"""What the public Open311 feed gives away: masked descriptions, places to about 100 m, a
read limit per address, clear refusals of impossible dates and control characters, and XML
that parses whatever a stored description holds."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.cases.factories import case_in, point_in
from tests.people.ids import id_number
from wangge.cases.follow import case_follow, follow_code
from wangge.cases.models import Case, CaseTransition
from wangge.cases.services import open311_client_issue
from wangge.core.models import AuditRecord

BASE = "/open311/v2"
PHONE = "13812345678"
PLATE = "豫A·D12345"


@pytest.fixture
def key(db) -> str:
    return open311_client_issue(name="市民热线")[1]


def _told(people, **fields) -> Case:
    case = case_in(people, people.home_grid)
    Case.objects.filter(pk=case.pk).update(**fields)
    return case


def _rows(response, fmt: str) -> list[dict]:
    assert response.status_code == 200
    if fmt == "json":
        return json.loads(response.content)
    return [{child.tag: child.text or "" for child in row} for row in ET.fromstring(response.content).findall("request")]


def _error(response, fmt: str) -> str:
    if fmt == "json":
        (error,) = json.loads(response.content)
        return error["description"]
    return ET.fromstring(response.content).findtext("error/description")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_masks_phones_id_numbers_plates_and_names_in_public_descriptions(client, people, fmt):
    card = id_number()
    case = _told(people, description=f"我是张三，电话{PHONE}，邮箱 zhang.san@example.com、{PHONE}@qq.com，身份证{card}，车牌{PLATE}、豫A12345 占道")
    for url in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{case.number}.{fmt}"):
        (row,) = [r for r in _rows(client.get(url), fmt) if r["service_request_id"] == case.number]
        said = row["description"]
        assert PHONE not in said and card not in said and "12345" not in said and "张三" not in said
        assert "138****5678" in said and card[:6] + "********" + card[-4:] in said
        assert "我是张*" in said and "豫A·******" in said and "豫A*****" in said and "占道" in said
        assert "zhang.san" not in said and "z***@example.com" in said and "1***@qq.com" in said


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_publishes_places_to_about_100_metres(client, people, fmt):
    case = _told(people, lat=34.7512345, lon=113.6687654)
    for url in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{case.number}.{fmt}"):
        (row,) = [r for r in _rows(client.get(url), fmt) if r["service_request_id"] == case.number]
        assert (float(row["lat"]), float(row["long"])) == (34.751, 113.669)


def test_the_audit_trail_masks_what_the_feed_masks(client, people, key):
    lon, lat = point_in(people.home_grid)
    form = {"api_key": key, "service_code": "manhole_cover", "lat": lat, "long": lon, "description": f"我是张三 {PHONE} {PLATE}"}
    number = json.loads(client.post(f"{BASE}/requests.json", form).content)[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert PHONE in case.description  # the handler reads what was reported
    (row,) = AuditRecord.objects.filter(action="cases.case.created", object_id=str(case.pk))
    kept = json.dumps(row.after, ensure_ascii=False)
    assert PHONE not in kept and "张三" not in kept and "D12345" not in kept and "我是张*" in kept


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_limits_public_reads_per_address(client, people, key, settings, fmt):
    settings.WANGGE_OPEN311_READS_PER_MINUTE = 3
    case = case_in(people, people.home_grid)
    urls = [f"{BASE}/requests.{fmt}", f"{BASE}/requests/{case.number}.{fmt}", f"{BASE}/tokens/{case.number}.{fmt}"]
    # Seven reads over at most two windows of the clock: one window holds four or more.
    answers = [client.get(urls[i % 3]) for i in range(7)]
    assert answers[0].status_code == 200
    refused = next(a for a in answers if a.status_code == 429)
    assert "每分钟最多读取 3 次" in _error(refused, fmt) and 1 <= int(refused["Retry-After"]) <= 60
    assert client.get(urls[0], {"api_key": key}).status_code == 200
    assert client.get(urls[0], REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.parametrize("field", ["start_date", "end_date"])
@pytest.mark.parametrize("value", ["2026-02-30T00:00:00", "2026-01-05T25:00:00", "2026-01-05T08:00:00+25:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"])
def test_it_refuses_impossible_dates_naming_the_parameter(client, db, field, value):
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/requests.{fmt}", {field: value})
        assert response.status_code == 400
        assert field in _error(response, fmt) and "有效的时间" in _error(response, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_refuses_control_characters_naming_the_field(client, people, key, fmt):
    lon, lat = point_in(people.home_grid)
    before = Case.objects.count()
    form = {"api_key": key, "service_code": "manhole_cover", "lat": lat, "long": lon}
    for field, value in (("description", "井盖\x01缺失"), ("description", "井盖\x0b缺失"), ("address_string", "陇海路\x1f1 号")):
        response = client.post(f"{BASE}/requests.{fmt}", {"description": "井盖缺失", **form, field: value})
        assert response.status_code == 400 and f"{field} 不能包含控制字符" in _error(response, fmt)
    assert Case.objects.count() == before
    fine = client.post(f"{BASE}/requests.{fmt}", {**form, "description": "井盖缺失\t第一处\r\n第二处"})
    assert fine.status_code == 200


def test_the_api_refuses_control_characters_in_a_description(api, people):
    lon, lat = point_in(people.home_grid)
    body = {"category": "manhole_cover", "description": "井盖\x0b缺失", "lon": lon, "lat": lat}
    response = api.post("/api/cases", token=people.grid_worker.token, json=body)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "description", "reason": "描述不能包含控制字符（换行、回车和制表符除外）"}]
    assert not Case.objects.filter(description__contains="井盖").exists()


def test_the_xml_feed_parses_whatever_a_stored_description_holds(client, people):
    case = _told(people, description="井盖\x01缺失\x0b\ufffe，已围挡\t\n")
    for url in (f"{BASE}/requests.xml", f"{BASE}/requests/{case.number}.xml"):
        root = ET.fromstring(client.get(url).content)
        (row,) = [r for r in root.findall("request") if r.findtext("service_request_id") == case.number]
        assert row.findtext("description") == "井盖缺失，已围挡\t\n"


def test_following_a_case_masks_what_the_platform_said(people):
    case = _told(people, status=Case.Status.CLOSED)
    said = f"已联系车主（{PHONE}）挪走{PLATE}"
    CaseTransition.objects.create(case=case, from_status=Case.Status.VERIFIED, to_status=Case.Status.CLOSED, actor=people.grid_worker.user, reason=said, at=timezone.now())
    result = case_follow(case.number, follow_code(case))["result"]
    assert result == "已联系车主（138****5678）挪走豫A·******"


@pytest.mark.parametrize("field", ["service_request_id", "service_code"])
def test_it_refuses_an_endless_list_naming_the_parameter(client, db, field):
    response = client.get(f"{BASE}/requests.json", {field: ",".join(f"x{i}" for i in range(1001))})
    assert response.status_code == 400 and f"{field} 最多列出 1000 个" in _error(response, "json")
