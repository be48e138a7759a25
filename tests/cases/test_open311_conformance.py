"""Open311 GeoReport v2 conformance, over real HTTP, in both formats.

The client below is written from the specification (http://wiki.open311.org/GeoReport_v2), not
from our code: it knows only the paths, the form-encoded POST, the element names of the XML
documents (service_requests/request, services/service, errors/error with code and description)
and the field types. Every endpoint is driven in .json and .xml and the answers are compared.
"""

import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
import requests

from tests.cases.factories import point_in
from wangge.cases.models import Case
from wangge.cases.services import open311_client_issue
from wangge.people.models import Building

FORMATS = ["json", "xml"]
ISO_8601_WITH_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
# Fields of a service request (spec: GET Service Requests, "Response").
REQUEST_FIELDS = {"service_request_id", "status", "service_code", "requested_datetime", "lat", "long"}
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}


class GeoReportError(Exception):
    def __init__(self, status: int, errors: list[dict]) -> None:
        super().__init__(f"{status}: {errors}")
        self.status, self.errors = status, errors


class GeoReport:
    """A GeoReport v2 client for one response format."""

    def __init__(self, base: str, fmt: str) -> None:
        self.base, self.fmt = base.rstrip("/") + "/open311/v2", fmt

    def _call(self, method: str, path: str, *, params=None, form=None):
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        body = urllib.parse.urlencode(form, encoding="utf-8") if form is not None else None
        response = requests.request(method, f"{self.base}/{path}.{self.fmt}", params=params, data=body, headers=headers, timeout=60)
        content_type = response.headers["Content-Type"].lower().replace(" ", "")
        media = "application/json" if self.fmt == "json" else "text/xml"
        assert content_type.startswith(media) and "charset=utf-8" in content_type, content_type
        document = json.loads(response.content.decode("utf-8")) if self.fmt == "json" else ET.fromstring(response.content)
        if response.status_code >= 400:
            raise GeoReportError(response.status_code, self._errors(document))
        assert response.status_code == 200
        return document

    def _errors(self, document) -> list[dict]:
        if self.fmt == "json":
            return [{"code": int(e["code"]), "description": e["description"]} for e in document]
        assert document.tag == "errors"
        return [{"code": int(e.findtext("code")), "description": e.findtext("description")} for e in document.findall("error")]

    def _rows(self, document, root: str, item: str) -> list[dict]:
        if self.fmt == "json":
            assert isinstance(document, list)
            return document
        assert document.tag == root
        return [{child.tag: child.text or "" for child in element} for element in document.findall(item)]

    def discovery(self) -> dict:
        document = self._call("GET", "discovery")
        if self.fmt == "json":
            return document
        assert document.tag == "discovery"
        endpoints = [
            {**{c.tag: c.text or "" for c in e if c.tag != "formats"}, "formats": [f.text for f in e.findall("formats/format")]}
            for e in document.findall("endpoints/endpoint")
        ]
        return {"changeset": document.findtext("changeset"), "contact": document.findtext("contact"), "key_service": document.findtext("key_service"), "endpoints": endpoints}

    def services(self) -> list[dict]:
        return self._rows(self._call("GET", "services"), "services", "service")

    def service(self, code: str) -> dict:
        document = self._call("GET", f"services/{code}")
        if self.fmt == "json":
            return document
        assert document.tag == "service_definition"
        return {"service_code": document.findtext("service_code"), "attributes": [dict((c.tag, c.text) for c in a) for a in document.findall("attributes/attribute")]}

    def post(self, **form) -> list[dict]:
        return self._rows(self._call("POST", "requests", form=form), "service_requests", "request")

    def requests(self, **params) -> list[dict]:
        return self._rows(self._call("GET", "requests", params=params), "service_requests", "request")

    def request(self, request_id: str) -> dict:
        (row,) = self._rows(self._call("GET", f"requests/{request_id}"), "service_requests", "request")
        return row

    def token(self, token: str) -> list[dict]:
        return self._rows(self._call("GET", f"tokens/{token}"), "service_requests", "request")


def _boolean(value) -> bool:
    """JSON true/false, or the XML text of an xs:boolean."""
    assert value in (True, False, "true", "false"), value
    return value in (True, "true")


def _number(value) -> float:
    assert isinstance(value, int | float) or re.fullmatch(r"-?\d+(\.\d+)?", value), value
    return float(value)


def _moment(value: str, *, optional: bool = False) -> datetime | None:
    if optional and not value:
        return None
    assert ISO_8601_WITH_ZONE.match(value), value
    return datetime.fromisoformat(value)


def _checked_request(row: dict) -> dict:
    """A service request as the spec types it; returns it with typed values."""
    assert REQUEST_FIELDS <= set(row), set(row)
    assert row["status"] in {"open", "closed"}
    assert -90 <= _number(row["lat"]) <= 90 and -180 <= _number(row["long"]) <= 180
    requested = _moment(row["requested_datetime"])
    updated = _moment(row.get("updated_datetime", ""), optional=True)
    _moment(row.get("expected_datetime", ""), optional=True)
    assert updated is None or updated >= requested
    return {**row, "lat": _number(row["lat"]), "long": _number(row["long"])}


@pytest.fixture
def key(db) -> str:
    return open311_client_issue(name="规范测试客户端")[1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_services_and_definitions(api, db, fmt):
    client = GeoReport(api.url, fmt)
    found = client.discovery()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(found)
    _moment(found["changeset"])
    (endpoint,) = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2" and endpoint["type"] in {"production", "test"}
    assert endpoint["url"].endswith("/open311/v2/") and set(endpoint["formats"]) == {"text/xml", "application/json"}
    _moment(endpoint["changeset"])

    services = client.services()
    assert services and all(SERVICE_FIELDS <= set(s) for s in services)
    assert all(s["type"] in {"realtime", "batch", "blackbox"} for s in services)
    assert len({s["service_code"] for s in services}) == len(services)
    for service in services[:3]:
        definition = client.service(service["service_code"])
        assert definition["service_code"] == service["service_code"] and isinstance(definition["attributes"], list)
        assert _boolean(service["metadata"]) == bool(definition["attributes"])
    with pytest.raises(GeoReportError) as missing:
        client.service("no_such_service")
    assert missing.value.status == 404 and missing.value.errors[0]["code"] == 404 and missing.value.errors[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_posted_requests_read_back_through_every_endpoint(api, people, key, fmt):
    client = GeoReport(api.url, fmt)
    lon, lat = point_in(people.home_grid)
    building = Building.objects.filter(grid_code=people.home_grid.code).order_by("-pk").first()
    common = {"api_key": key, "jurisdiction_id": "410104", "first_name": "张", "email": "zhang@example.org"}
    posted = {
        "by_point": client.post(**common, service_code="manhole_cover", lat=f"{lat}", long=f"{lon}", description="井盖缺失"),
        "by_address": client.post(**common, service_code="exposed_garbage", address_string=f"管城區{building.compound}{building.name}", description="垃圾"),
        "with_media": client.post(**common, service_code="manhole_cover", lat=f"{lat}", long=f"{lon}", media_url="https://example.org/p.jpg"),
    }
    ids = {}
    for name, rows in posted.items():
        (row,) = rows
        assert row["service_request_id"] or row["token"], row
        ids[name] = row["service_request_id"]

    by_address = _checked_request(client.request(ids["by_address"]))
    assert (by_address["lat"], by_address["long"]) == (round(building.lat, 3), round(building.lon, 3))
    assert by_address["service_code"] == "exposed_garbage" and by_address["status"] == "open"
    for name, number in ids.items():
        row = _checked_request(client.request(number))
        assert row["service_request_id"] == number, name
        (token,) = client.token(number)
        assert token["service_request_id"] == number and token["token"] == number

    two = client.requests(service_request_id=f"{ids['by_point']},{ids['by_address']}", service_code="no_such_service")
    assert {r["service_request_id"] for r in two} == {ids["by_point"], ids["by_address"]}  # other filters ignored
    garbage = [_checked_request(r) for r in client.requests(service_code="exposed_garbage")]
    assert garbage and {r["service_code"] for r in garbage} == {"exposed_garbage"} and ids["by_address"] in {r["service_request_id"] for r in garbage}
    both = {r["service_request_id"] for r in client.requests(service_code="exposed_garbage,manhole_cover")}
    assert set(ids.values()) <= both

    requested = _moment(by_address["requested_datetime"])
    window = client.requests(start_date=(requested - timedelta(minutes=5)).isoformat(), end_date=(requested + timedelta(minutes=5)).isoformat())
    assert set(ids.values()) <= {r["service_request_id"] for r in window}
    for r in window:
        assert requested - timedelta(minutes=5) <= _moment(r["requested_datetime"]) <= requested + timedelta(minutes=5)
    earlier = client.requests(end_date=(requested - timedelta(days=1)).isoformat())
    assert not set(ids.values()) & {r["service_request_id"] for r in earlier}
    assert all(_moment(r["requested_datetime"]) <= requested - timedelta(days=1) for r in earlier)

    Case.objects.filter(number=ids["with_media"]).update(status=Case.Status.CLOSED)
    open_ = {r["service_request_id"]: r["status"] for r in client.requests(status="open")}
    closed = {r["service_request_id"]: r["status"] for r in client.requests(status="closed")}
    assert set(open_.values()) <= {"open"} and set(closed.values()) <= {"closed"}
    assert ids["by_point"] in open_ and ids["with_media"] in closed and ids["with_media"] not in open_
    assert set(ids.values()) <= set(open_) | set(closed) == {r["service_request_id"] for r in client.requests(status="open,closed")}
    assert client.request(ids["with_media"])["status"] == "closed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_errors_use_the_error_format_and_http_codes(api, people, key, fmt):
    client = GeoReport(api.url, fmt)
    lon, lat = point_in(people.home_grid)
    before = Case.objects.count()
    refused = {
        403: [dict(service_code="manhole_cover", lat=lat, long=lon), dict(api_key="wrong", service_code="manhole_cover", lat=lat, long=lon)],
        400: [
            dict(api_key=key, lat=lat, long=lon),  # no service_code
            dict(api_key=key, service_code="no_such_service", lat=lat, long=lon),
            dict(api_key=key, service_code="manhole_cover"),  # no location
            dict(api_key=key, service_code="manhole_cover", address_string="火星路 1 号"),
            dict(api_key=key, service_code="manhole_cover", lat="north", long="east"),
            dict(api_key=key, service_code="manhole_cover", lat=lat, long=lon, media_url="not a url"),
        ],
    }
    for status, forms in refused.items():
        for form in forms:
            with pytest.raises(GeoReportError) as error:
                client.post(**form)
            assert error.value.status == status and [e["code"] for e in error.value.errors] == [status], form
            assert all(e["description"] for e in error.value.errors)
    assert "无法识别地址「火星路 1 号」" in _description_of(client, api_key=key, service_code="manhole_cover", address_string="火星路 1 号")
    for call, status in [(lambda: client.request("SJ00000000000000"), 404), (lambda: client.token("SJ00000000000000"), 404),
                         (lambda: client.requests(status="pending"), 400), (lambda: client.requests(start_date="yesterday"), 400)]:
        with pytest.raises(GeoReportError) as error:
            call()
        assert error.value.status == status and error.value.errors[0]["code"] == status
    assert Case.objects.count() == before


def _description_of(client: GeoReport, **form) -> str:
    with pytest.raises(GeoReportError) as error:
        client.post(**form)
    return error.value.errors[0]["description"]


def test_both_formats_say_the_same(api, people, key):
    json_client, xml_client = GeoReport(api.url, "json"), GeoReport(api.url, "xml")
    lon, lat = point_in(people.home_grid)
    (row,) = json_client.post(api_key=key, service_code="manhole_cover", lat=lat, long=lon, description="井盖缺失")
    as_json = json_client.request(row["service_request_id"])
    as_xml = xml_client.request(row["service_request_id"])
    assert set(as_json) == set(as_xml)
    for field, value in as_json.items():
        expected = "" if value is None else ("true" if value is True else "false" if value is False else str(value))
        assert as_xml[field] == expected, field
    assert [s["service_code"] for s in json_client.services()] == [s["service_code"] for s in xml_client.services()]
