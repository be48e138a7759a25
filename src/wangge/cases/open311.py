"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

Plain views: the standard fixes the paths, the form-encoded POST, the error list and the XML
shapes, none of which fit the ninja API. Reads are public and show only public fields; a POST
needs an API key issued by `wangge open311 key --name CLIENT`. Requests are created at once, so
a token is simply the service_request_id (the case's receipt number).

What the public reads of a case: its category, status and times; its description with ID
numbers, phones, plates and names masked (`pii.mask_free_text`, as in the audit trail), or
nothing for social-governance cases; and its place to about 100 m, never the building. These
rules are the portal map's too, kept once in `selectors_public.py`. A client
address without an API key reads at most WANGGE_OPEN311_READS_PER_MINUTE requests a minute, so
that nobody walks the whole feed at machine speed.
"""

import functools
import math
import re
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpResponse, JsonResponse
from django.urls import path, register_converter
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from wangge.core.audit import client_address
from wangge.core.limits import window_count
from wangge.geo.geometry.validation import is_finite_number

from . import selectors, services, workflow
from .models import MAX_DESCRIPTION, Case, Category, Open311Client, description_too_long
from .selectors_public import case_public_list, public_description, public_point

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
# GeoReport v2 names the element of each list in XML.
XML_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
# What XML 1.0 cannot carry at all (C0 controls but tab and line ends, lone surrogates, U+FFFE
# and U+FFFF); dropped from the text so that one odd row cannot make the whole feed unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MINUTE = 60


class _Format:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_Format, "open311fmt")


def _xml_value(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(element, key, inner)
    elif isinstance(value, list):
        for inner in value:
            _xml_value(element, XML_ITEMS.get(tag, "item"), inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("", str(value))


def _respond(fmt: str, data, root: str, item: str = "", status: int = 200) -> HttpResponse:
    if fmt == "json":
        # The charset is named: the text is Chinese and some GeoReport clients do not assume UTF-8.
        return JsonResponse(
            data, safe=False, status=status, content_type="application/json; charset=utf-8", json_dumps_params={"ensure_ascii": False}
        )
    element = ET.Element(root)
    for row in data if isinstance(data, list) else [data]:
        if item:
            _xml_value(element, item, row)
        else:
            for key, value in row.items():
                _xml_value(element, key, value)
    body = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, [{"code": status, "description": description}], "errors", "error", status=status)


def _methods(*allowed: str):
    """Like require_http_methods, but the refusal is a GeoReport error list in the asked format."""

    def wrap(view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            if request.method not in allowed:
                response = _error(kwargs.get("fmt", "xml"), 405, f"不支持 {request.method} 方法，可用：{', '.join(allowed)}")
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return checked

    return wrap


def _read_wait(request) -> int:
    """Seconds until this address may read again, or 0. Each minute of the clock is one window
    counted in Django's cache (per process with the default local-memory cache, shared by every
    worker once a shared cache is configured); a client with a valid api_key is not counted."""
    if _client((request.GET.get("api_key") or "").strip()) is not None:
        return 0
    now = time.time()
    window = int(now // MINUTE)
    count = window_count(f"wangge:open311:reads:{client_address(request) or '-'}:{window}", MINUTE)
    if count <= settings.WANGGE_OPEN311_READS_PER_MINUTE:
        return 0
    return max(1, math.ceil((window + 1) * MINUTE - now))


def _read_limited(view):
    """Public reads of requests, at most WANGGE_OPEN311_READS_PER_MINUTE a minute per address;
    past that a 429 in the error format, with Retry-After."""

    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and (wait := _read_wait(request)):
            limit = settings.WANGGE_OPEN311_READS_PER_MINUTE
            response = _error(kwargs["fmt"], 429, f"请求过于频繁：同一地址每分钟最多读取 {limit} 次，请 {wait} 秒后再试，或使用 api_key")
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return limited


def _time(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{category.get_kind_display()}：{category.name}",
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(filter(None, [category.name, category.parent.name if category.parent else ""])),
        "group": category.get_kind_display(),
    }


def _status_notes(case: Case) -> str:
    # The public reads every case, but reads no case's number in another's notes (as on the portal).
    if case.duplicate_of_id:
        return f"已结案：重复上报，{workflow.MERGED}"
    return case.get_status_display()


def _request(case: Case) -> dict:
    lon, lat = public_point(case)
    return {
        "service_request_id": case.number,
        "status": "open" if case.status in workflow.OPEN else "closed",
        "status_notes": _status_notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": public_description(case),
        "agency_responsible": case.department.name if case.department else "",
        "service_notice": "",
        "requested_datetime": _time(case.reported_at),
        "updated_datetime": _time(case.status_since),
        "expected_datetime": _time(case.deadline_at),
        "lat": lat,
        "long": lon,
        "media_url": "",
    }


@_methods("GET", "HEAD")
def discovery(request, fmt: str) -> HttpResponse:
    endpoint = {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": request.build_absolute_uri("/open311/v2/"),
        "changeset": "2026-11-25T00:00:00+08:00",
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    data = {"changeset": endpoint["changeset"], "contact": "", "key_service": "请联系平台管理员签发 API 密钥", "endpoints": [endpoint]}
    return _respond(fmt, data, "discovery")


@_methods("GET", "HEAD")
def service_list(request, fmt: str) -> HttpResponse:
    categories = Category.objects.active().select_related("parent")
    return _respond(fmt, [_service(c) for c in categories], "services", "service")


@_methods("GET", "HEAD")
def service_definition(request, service_code: str, fmt: str) -> HttpResponse:
    category = Category.objects.active().filter(code=service_code).first()
    if category is None:
        return _error(fmt, 404, f"未知的服务代码：{service_code}")
    return _respond(fmt, {"service_code": category.code, "attributes": []}, "service_definition")


class _BadRequest(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def _moment(value: str, field: str) -> datetime:
    try:
        parsed = parse_datetime(value.strip().replace(" ", "+"))  # an unescaped "+" in a query reads as a space
        if parsed is not None:
            parsed = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
            parsed.astimezone(UTC)  # as the database will store it: 0001-01-01 in +08:00 is not a time
    except (ValueError, OverflowError):  # well formed but no such day (2026-02-30), hour or offset
        parsed = None
    if parsed is None:
        raise _BadRequest(400, f"{field} 不是有效的时间，应为 ISO 8601 时间，如 2026-01-05T08:00:00+08:00")
    return parsed


def _listed(params, field: str) -> list[str]:
    values = [v.strip() for v in params.get(field, "").split(",") if v.strip()]
    if len(values) > MAX_RESULTS:
        raise _BadRequest(400, f"{field} 最多列出 {MAX_RESULTS} 个")
    return values


def _list_filter(params) -> dict:
    if ids := _listed(params, "service_request_id"):
        return {"number__in": ids}  # the standard: other parameters are then ignored
    found = {}
    if codes := _listed(params, "service_code"):
        found["category__code__in"] = codes
    if params.get("start_date"):
        found["reported_at__gte"] = _moment(params["start_date"], "start_date")
    if params.get("end_date"):
        found["reported_at__lte"] = _moment(params["end_date"], "end_date")
    if not params.get("start_date") and not params.get("end_date"):
        found["reported_at__gte"] = timezone.now() - timedelta(days=DEFAULT_DAYS)
    if statuses := {s.strip() for s in params.get("status", "").split(",") if s.strip()}:
        if not statuses <= {"open", "closed"}:
            raise _BadRequest(400, "status 只能是 open 或 closed")
        if statuses == {"open"}:
            found["status__in"] = workflow.OPEN
        elif statuses == {"closed"}:
            found["status__in"] = [s for s in Case.Status.values if s not in workflow.OPEN]
    return found


def _client(api_key: str) -> Open311Client | None:
    if not api_key:
        return None
    return Open311Client.objects.select_related("user").filter(key_digest=services.open311_key_digest(api_key), active=True, user__is_active=True).first()


def _place(form) -> dict:
    """Where the request is: lat and long, else address_string resolved through the building
    registry (the service refuses an address it cannot resolve, naming why). With both, the
    point wins and the address is kept as the client typed it."""
    lat, lon = (form.get("lat") or "").strip(), (form.get("long") or "").strip()
    address = (form.get("address_string") or "").strip()
    if refused := services.control_characters_refused("address_string ", address):
        raise _BadRequest(400, refused)
    if not lat and not lon:
        if address:
            return {"lon": None, "lat": None, "address": address}
        if (form.get("address_id") or "").strip():
            raise _BadRequest(400, "暂不支持 address_id，请提供 lat 和 long（WGS84 经纬度）或 address_string（地址）")
        raise _BadRequest(400, "须提供位置：lat 和 long（WGS84 经纬度）或 address_string（地址）")
    try:
        point = float(lon), float(lat)
    except ValueError:
        raise _BadRequest(400, "lat 和 long 应为 WGS84 经纬度数值") from None
    if not all(is_finite_number(v) for v in point):
        raise _BadRequest(400, "lat 和 long 应为 WGS84 经纬度数值")
    return {"lon": point[0], "lat": point[1], "address": address}


def _description(form) -> str:
    description = (form.get("description") or "").strip()
    if refused := services.control_characters_refused("description ", description):
        raise _BadRequest(400, refused)
    if description_too_long(description):
        raise _BadRequest(400, f"description 不能超过 {MAX_DESCRIPTION} 字")
    media_url = (form.get("media_url") or "").strip()
    if media_url:
        # No photo store for Open311 yet: the link is kept in the description so that the
        # handler sees it (and it is public, as the client meant it to be).
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise _BadRequest(400, "media_url 应为 http 或 https 链接") from None
        description = f"{description}\n图片：{media_url}".strip()
        if description_too_long(description):
            raise _BadRequest(400, f"description 与 media_url 合计不能超过 {MAX_DESCRIPTION} 字")
    return description


def _create(request, fmt: str) -> HttpResponse:
    client = _client((request.POST.get("api_key") or "").strip())
    if client is None:
        return _error(fmt, 403, "缺少 api_key 或 api_key 无效")
    code = (request.POST.get("service_code") or "").strip()
    category = selectors.category_by_code(code) if code else None
    if category is None or not category.active:
        return _error(fmt, 400, f"未知的服务代码：{code}" if code else "须提供 service_code")
    place = _place(request.POST)
    try:
        case, _ = services.case_report(reporter=client.user, category=category, description=_description(request.POST), **place)
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms] if hasattr(error, "error_dict") else error.messages
        return _error(fmt, 400, "；".join(messages))
    row = {"service_request_id": case.number, "service_notice": "", "account_id": ""}
    return _respond(fmt, [row], "service_requests", "request")


# A machine API: the client proves itself with api_key in the form, not with a browser session,
# so there is no cookie for a forged cross-site request to ride on and CSRF protection does not
# apply (GeoReport clients could not send Django's CSRF token anyway).
@csrf_exempt
@_methods("GET", "HEAD", "POST")
@_read_limited
def request_list(request, fmt: str) -> HttpResponse:
    try:
        if request.method == "POST":
            return _create(request, fmt)
        cases = case_public_list().filter(**_list_filter(request.GET))[:MAX_RESULTS]
    except _BadRequest as bad:
        return _error(fmt, bad.status, bad.description)
    return _respond(fmt, [_request(c) for c in cases], "service_requests", "request")


@_methods("GET", "HEAD")
@_read_limited
def request_detail(request, request_id: str, fmt: str) -> HttpResponse:
    case = case_public_list().filter(number=request_id).first()
    if case is None:
        return _error(fmt, 404, f"未找到服务请求：{request_id}")
    return _respond(fmt, [_request(case)], "service_requests", "request")


@_methods("GET", "HEAD")
@_read_limited
def token_detail(request, token: str, fmt: str) -> HttpResponse:
    number = case_public_list().filter(number=token).values_list("number", flat=True).first()
    if number is None:
        return _error(fmt, 404, f"未找到令牌：{token}")
    return _respond(fmt, [{"service_request_id": number, "token": token}], "service_requests", "request")


urlpatterns = [
    path("discovery.<open311fmt:fmt>", discovery, name="open311-discovery"),
    path("services.<open311fmt:fmt>", service_list, name="open311-services"),
    path("services/<slug:service_code>.<open311fmt:fmt>", service_definition, name="open311-service"),
    path("requests.<open311fmt:fmt>", request_list, name="open311-requests"),
    path("requests/<slug:request_id>.<open311fmt:fmt>", request_detail, name="open311-request"),
    path("tokens/<slug:token>.<open311fmt:fmt>", token_detail, name="open311-token"),
]
