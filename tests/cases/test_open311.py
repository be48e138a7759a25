"""Open311 GeoReport v2 at /open311/v2/: every endpoint in JSON and XML, keys, errors, statuses."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.cases.factories import case_in, point_in
from wangge.accounts.models import Role
from wangge.cases.models import Case, Open311Client
from wangge.cases.services import open311_client_issue
from wangge.people.models import Building

BASE = "/open311/v2"


@pytest.fixture
def key(db) -> str:
    return open311_client_issue(name="市民热线")[1]


def _json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def _xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml") and "utf-8" in response["Content-Type"]
    return ET.fromstring(response.content)


def _post(client, fmt, people, key, **overrides):
    lon, lat = point_in(people.home_grid)
    form = {"api_key": key, "service_code": "manhole_cover", "lat": str(lat), "long": str(lon), "description": "井盖缺失"} | overrides
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in form.items() if v is not None})


def _assert_error(response, status: int, fmt: str) -> str:
    assert response.status_code == status
    if fmt == "json":
        (error,) = _json(response)
        assert error["code"] == status and error["description"]
        return error["description"]
    root = _xml(response)
    assert root.tag == "errors" and root.find("error/code").text == str(status)
    return root.find("error/description").text


def test_it_describes_itself_in_both_formats(client, db):
    body = _json(client.get(f"{BASE}/discovery.json"))
    assert body["endpoints"][0]["url"].endswith("/open311/v2/")
    assert set(body["endpoints"][0]["formats"]) == {"text/xml", "application/json"}
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None


def test_it_lists_active_categories_as_services(client, db):
    services = _json(client.get(f"{BASE}/services.json"))
    garbage = next(s for s in services if s["service_code"] == "exposed_garbage")
    assert garbage["metadata"] is False and garbage["type"] == "realtime" and garbage["group"]
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert {s.find("service_code").text for s in root.findall("service")} == {s["service_code"] for s in services}
    assert root.find("service/metadata").text == "false"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_defines_a_service_and_refuses_an_unknown_one(client, db, fmt):
    response = client.get(f"{BASE}/services/exposed_garbage.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert _json(response) == {"service_code": "exposed_garbage", "attributes": []}
    else:
        root = _xml(response)
        assert root.tag == "service_definition" and root.find("service_code").text == "exposed_garbage"
    assert "no_such" in _assert_error(client.get(f"{BASE}/services/no_such.{fmt}"), 404, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_creates_a_request_that_reads_back_open(client, people, key, fmt):
    response = _post(client, fmt, people, key, media_url="https://example.org/p.jpg")
    assert response.status_code == 200
    number = _json(response)[0]["service_request_id"] if fmt == "json" else _xml(response).find("request/service_request_id").text
    case = Case.objects.get(number=number)
    assert case.reporter.open311_client.name == "市民热线" and "https://example.org/p.jpg" in case.description

    listed = _json(client.get(f"{BASE}/requests.json", {"service_request_id": number}))
    assert [r["service_request_id"] for r in listed] == [number]
    assert listed[0]["status"] == "open" and listed[0]["status_notes"] == "已上报"
    assert listed[0]["requested_datetime"].endswith("+08:00")
    assert listed[0]["lat"] == round(case.lat, 3) and "reporter" not in listed[0] and "address" not in listed[0]
    assert number in {r["service_request_id"] for r in _json(client.get(f"{BASE}/requests.json"))}
    root = _xml(client.get(f"{BASE}/requests.xml"))
    assert number in {r.find("service_request_id").text for r in root.findall("request")}

    one = client.get(f"{BASE}/requests/{number}.{fmt}")
    status = _json(one)[0]["status"] if fmt == "json" else _xml(one).find("request/status").text
    assert status == "open"
    token = client.get(f"{BASE}/tokens/{number}.{fmt}")
    found = _json(token)[0]["service_request_id"] if fmt == "json" else _xml(token).find("request/service_request_id").text
    assert found == number


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_reads_a_closed_case_as_closed_with_notes(client, people, fmt):
    case = case_in(people, people.home_grid)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    response = client.get(f"{BASE}/requests/{case.number}.{fmt}")
    if fmt == "json":
        row = _json(response)[0]
        assert (row["status"], row["status_notes"]) == ("closed", "已结案")
    else:
        root = _xml(response)
        assert (root.find("request/status").text, root.find("request/status_notes").text) == ("closed", "已结案")
    assert case.number in {r["service_request_id"] for r in _json(client.get(f"{BASE}/requests.json", {"status": "closed"}))}
    assert case.number not in {r["service_request_id"] for r in _json(client.get(f"{BASE}/requests.json", {"status": "open"}))}


def test_it_reads_a_rejected_case_as_closed(client, people):
    case = case_in(people, people.home_grid)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.REJECTED)
    row = _json(client.get(f"{BASE}/requests/{case.number}.json"))[0]
    assert (row["status"], row["status_notes"]) == ("closed", "不予立案")


def test_it_filters_by_service_code_and_dates(client, people):
    case = case_in(people, people.home_grid)
    codes = {r["service_code"] for r in _json(client.get(f"{BASE}/requests.json", {"service_code": "exposed_garbage"}))}
    assert codes == {"exposed_garbage"}
    later = _json(client.get(f"{BASE}/requests.json", {"start_date": "2999-01-01T00:00:00+08:00"}))
    assert later == []
    window = _json(client.get(f"{BASE}/requests.json", {"start_date": "2000-01-01T00:00:00+08:00", "end_date": timezone.now().isoformat()}))
    assert case.number in {r["service_request_id"] for r in window}
    _assert_error(client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}), 400, "json")
    _assert_error(client.get(f"{BASE}/requests.xml", {"status": "pending"}), 400, "xml")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_refuses_a_missing_or_invalid_key(client, people, key, fmt):
    before = Case.objects.count()
    _assert_error(_post(client, fmt, people, None), 403, fmt)
    _assert_error(_post(client, fmt, people, "not-a-key"), 403, fmt)
    Open311Client.objects.update(active=False)
    _assert_error(_post(client, fmt, people, key), 403, fmt)
    assert Case.objects.count() == before


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_refuses_bad_input_with_the_error_format(client, people, key, fmt):
    before = Case.objects.count()
    assert "网格" in _assert_error(_post(client, fmt, people, key, lat="39.9", long="116.4"), 400, fmt)
    _assert_error(_post(client, fmt, people, key, lat="north", long="east"), 400, fmt)
    assert "no_such" in _assert_error(_post(client, fmt, people, key, service_code="no_such"), 400, fmt)
    assert "4000" in _assert_error(_post(client, fmt, people, key, description="字" * 4001), 400, fmt)
    assert "未找到该楼栋" in _assert_error(_post(client, fmt, people, key, lat=None, long=None, address_string="陇海路 1 号"), 400, fmt)
    assert "address_id" in _assert_error(_post(client, fmt, people, key, lat=None, long=None, address_id="12345"), 400, fmt)
    assert "位置" in _assert_error(_post(client, fmt, people, key, lat=None, long=None), 400, fmt)
    _assert_error(client.get(f"{BASE}/requests/SJ00000000000000.{fmt}"), 404, fmt)
    _assert_error(client.get(f"{BASE}/tokens/SJ00000000000000.{fmt}"), 404, fmt)
    assert Case.objects.count() == before


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_locates_a_request_by_its_address_string(client, people, key, fmt):
    building = Building.objects.filter(grid_code=people.home_grid.code).order_by("pk").first()
    typed = "郑州市管城区" + building.compound + building.name.replace("号", "號")
    response = _post(client, fmt, people, key, lat=None, long=None, address_string=typed)
    assert response.status_code == 200
    number = _json(response)[0]["service_request_id"] if fmt == "json" else _xml(response).find("request/service_request_id").text
    case = Case.objects.get(number=number)
    assert (case.lon, case.lat, case.grid_code, case.address) == (building.lon, building.lat, building.grid_code, building.address)
    row = _json(client.get(f"{BASE}/requests/{number}.json"))[0]
    assert (row["lat"], row["long"]) == (round(building.lat, 3), round(building.lon, 3))


def test_a_point_wins_over_the_address_string(client, people, key):
    response = _post(client, "json", people, key, address_string="陇海路 1 号")
    case = Case.objects.get(number=_json(response)[0]["service_request_id"])
    assert (case.lon, case.lat) == point_in(people.home_grid) and case.address == "陇海路 1 号"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_refuses_another_method_in_the_error_format(client, db, fmt):
    response = client.delete(f"{BASE}/requests.{fmt}")
    assert "DELETE" in _assert_error(response, 405, fmt) and "POST" in response["Allow"]


def test_it_refuses_a_point_outside_the_district(client, people, key):
    description = _assert_error(_post(client, "json", people, key, lat="39.9", long="116.4"), 400, "json")
    assert "网格" in description


def test_it_hides_what_social_governance_cases_say(client, people):
    case = case_in(people, people.home_grid, category="dispute")
    row = _json(client.get(f"{BASE}/requests/{case.number}.json"))[0]
    assert row["service_code"] == "dispute" and row["description"] == ""


def test_the_post_needs_no_csrf_token(people, key):
    from django.test import Client

    response = _post(Client(enforce_csrf_checks=True), "json", people, key)
    assert response.status_code == 200


def test_the_command_issues_a_key_once(db, capsys):
    call_command("open311", "key", "--name", "网格通")
    key = capsys.readouterr().out.strip()
    client = Open311Client.objects.get(name="网格通")
    assert client.key_digest != key and len(key) >= 32
    assert client.user.role == Role.RESIDENT and client.user.scope_code == "" and not client.user.has_usable_password()
