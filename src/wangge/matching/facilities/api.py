"""Service facilities over the API: kept by officials in scope; the map's reads and the
"nearest to me" search are public, the search limited per address like the portal's other
public reads."""

import math
import time
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.audit import client_address
from wangge.core.errors import ErrorOut
from wangge.core.limits import window_count
from wangge.core.pagination import Paged, Shown
from wangge.geo.geometry.validation import point_checked

from ..models_facilities import Facility, FacilityKind
from . import selectors, services
from .permissions import require_facility_keeper

router = Router(tags=["服务设施"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
MINUTE = 60
SEARCHES_PER_MINUTE = 60
MAX_NEAREST = 20


class FacilityKindOut(Schema):
    code: str
    name: str


class FacilityKindIn(Schema):
    code: str
    name: str
    order: int = 100


class FacilityIn(Schema):
    kind_code: str
    name: str
    community_code: str
    lon: float
    lat: float
    address: str
    hours: str = ""
    capacity: int | None = None
    project_number: str = ""
    status: str = Facility.Status.OPEN


class FacilityOut(Schema):
    id: int
    kind_code: str
    kind_name: str
    name: str
    community_code: str
    lon: float
    lat: float
    address: str
    hours: str
    capacity: int | None
    project_number: str
    status: str
    status_label: str
    updated_at: datetime


class PublicFacilityOut(Schema):
    id: int
    kind_code: str
    kind_name: str
    name: str
    lon: float
    lat: float
    address: str
    hours: str
    capacity: int | None
    open: bool
    status_label: str


class NearOut(PublicFacilityOut):
    metres: int


def facility_out(f: Facility) -> dict:
    return {
        "id": f.pk, "kind_code": f.kind.code, "kind_name": f.kind.name, "name": f.name, "community_code": f.community_code, "lon": f.lon, "lat": f.lat,
        "address": f.address, "hours": f.hours, "capacity": f.capacity, "project_number": f.project_number, "status": f.status,
        "status_label": f.get_status_display(), "updated_at": f.updated_at,
    }


def public_out(f: Facility) -> dict:
    """What the public sees of a facility: no community code, project or keeper."""
    return {
        "id": f.pk, "kind_code": f.kind.code, "kind_name": f.kind.name, "name": f.name, "lon": f.lon, "lat": f.lat, "address": f.address,
        "hours": f.hours, "capacity": f.capacity, "open": f.status == Facility.Status.OPEN, "status_label": f.get_status_display(),
    }


def _kind(code: str | None) -> FacilityKind | None:
    if not code:
        return None
    kind = FacilityKind.objects.filter(code=code).first()
    if kind is None:
        raise ValidationError({"kind": "未知的设施类型"})
    return kind


def too_many_searches(request) -> JsonResponse | None:
    """At most SEARCHES_PER_MINUTE searches a minute per address; past that a 429 with Retry-After."""
    now = time.time()
    window = int(now // MINUTE)
    if window_count(f"wangge:facilities:nearest:{client_address(request) or '-'}:{window}", MINUTE) <= SEARCHES_PER_MINUTE:
        return None
    wait = max(1, math.ceil((window + 1) * MINUTE - now))
    response = JsonResponse({"detail": f"查询过于频繁：同一地址每分钟最多查询 {SEARCHES_PER_MINUTE} 次，请 {wait} 秒后再试", "errors": []}, status=429)
    response["Retry-After"] = str(wait)
    return response


@router.get("/kinds", response=list[FacilityKindOut], auth=None)
def kind_list(request):
    """服务设施类型（区级维护）；公开。"""
    return [{"code": k.code, "name": k.name} for k in selectors.kind_list()]


@router.post("/kinds", response={201: FacilityKindOut, **ERRORS})
def kind_create(request, payload: FacilityKindIn):
    kind = services.facility_kind_create(actor=request.user, code=payload.code, name=payload.name, order=payload.order)
    return Status(201, {"code": kind.code, "name": kind.name})


@router.get("/public", response={200: list[PublicFacilityOut], 400: ErrorOut, 429: ErrorOut}, auth=None)
def public_list(request, kind: str | None = None):
    """地图上的服务设施（可按类型筛选）；公开，不含所属社区代码和建设项目；与「离我最近」合计，同一地址每分钟至多查询 60 次。"""
    if limited := too_many_searches(request):
        return limited
    return [public_out(f) for f in selectors.public_facilities(_kind(kind))]


@router.get("/nearest", response={200: list[NearOut], 400: ErrorOut, 422: ErrorOut, 429: ErrorOut}, auth=None)
def nearest(request, kind: str, lon: float, lat: float, count: int = 5):
    """离我最近：从给定位置（经纬度，WGS84）出发，某类开放中的服务设施按距离由近到远的前 count 个（至多 20），
    距离（米）在服务端按椭球面计算。公开，同一地址每分钟至多查询 60 次。"""
    if limited := too_many_searches(request):
        return limited
    found = _kind(kind)
    if found is None:
        raise ValidationError({"kind": "请选择设施类型"})
    lon, lat = point_checked(lon, lat)
    if not 1 <= count <= MAX_NEAREST:
        raise ValidationError({"count": f"数量应为 1 至 {MAX_NEAREST}"})
    return [{**public_out(near.facility), "metres": round(near.metres)} for near in selectors.nearest(found, lon, lat, count)]


@router.get("", response={200: list[FacilityOut], 403: ErrorOut})
@paginate(Paged)
def facility_list(request, kind: str | None = None, community_code: str | None = None):
    require_facility_keeper(request.user)
    found = selectors.facilities_visible(request.user)
    if kind:
        found = found.filter(kind__code=kind)
    if community_code:
        found = found.filter(community_code=community_code)
    return Shown(found, facility_out)


@router.post("", response={201: FacilityOut, **ERRORS})
def facility_create(request, payload: FacilityIn):
    require_facility_keeper(request.user)
    return Status(201, facility_out(services.facility_save(actor=request.user, **payload.dict())))


@router.get("/{facility_id}", response={200: FacilityOut, 403: ErrorOut, 404: ErrorOut})
def facility_detail(request, facility_id: int):
    require_facility_keeper(request.user)
    return facility_out(selectors.facility_get(request.user, facility_id))


@router.put("/{facility_id}", response={200: FacilityOut, **ERRORS})
def facility_update(request, facility_id: int, payload: FacilityIn):
    require_facility_keeper(request.user)
    facility = selectors.facility_get(request.user, facility_id)
    return facility_out(services.facility_save(actor=request.user, facility=facility, **payload.dict()))
