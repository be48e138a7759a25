import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpResponse, HttpResponseNotModified
from django.http.request import RawPostDataException
from django.utils.cache import patch_vary_headers
from ninja import Router, Status

from wangge.core.errors import ApiError, ErrorOut

from . import outlines, permissions, selectors, services
from .geometry.transform import CRS_CHOICES
from .geometry.validation import LayerInvalid
from .schemas import (
    CoverageOut,
    CreatedOut,
    DivisionOut,
    LayerOut,
    NotSeamlessOut,
)
from .scope import scope_of

# Mounted at /api/grids; the grids themselves and the locator answer with their grid worker
# (`wangge.redraw.api`).
layers_router = Router(tags=["网格"])
divisions_router = Router(tags=["行政区划"])

_LAYER_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/geo+json": {"schema": {"type": "object"}}, "application/json": {"schema": {"type": "object"}}},
        "description": "RFC 7946 FeatureCollection；每个要素的 properties 含 code、name、level、parent",
    }
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("没有权限执行此操作")


def _layer_out(layer) -> dict:
    fields = {f: getattr(layer, f) for f in ("id", "name", "is_active", "source_crs", "created_at")}
    return {**fields, "grids_by_level": selectors.grid_counts_by_level(layer.grids.all())}


def _read_body(request) -> bytes:
    limit = settings.WANGGE_MAX_LAYER_BYTES
    too_big = LayerInvalid(f"请求体超过上限 {limit // (1024 * 1024)} MB，请分批导入或简化边界")
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        raise too_big
    try:
        return request.body
    except (RequestDataTooBig, RawPostDataException):
        raise too_big from None


@layers_router.post("/layers", response={201: CreatedOut, 400: ErrorOut, 403: ErrorOut}, openapi_extra=_LAYER_BODY)
def layer_create(request, crs: str = "wgs84", name: str = ""):
    """导入网格图层（新建为未启用状态）。"""
    _require(permissions.can_manage_grid_layers(request.user))
    try:
        if crs not in CRS_CHOICES:
            raise LayerInvalid(f"坐标系 crs 应为 {'、'.join(CRS_CHOICES)} 之一，而不是 {crs!r}")
        features = services.layer_parse_bytes(body=_read_body(request), crs=crs)
    except LayerInvalid as invalid:
        raise ApiError(400, invalid.detail, invalid.errors) from None
    layer = services.grid_layer_import(features=features, name=name or "导入的网格图层", crs=crs, actor=request.user)
    return Status(201, {"id": layer.pk})


@layers_router.get("/layers", response=list[LayerOut])
def layer_list(request):
    return [_layer_out(layer) for layer in selectors.layer_list()]


@layers_router.get("/layers/{layer_id}/geojson", response=dict)
def layer_geojson(request, layer_id: int):
    """图层的 GeoJSON（WGS84），仅含调用者范围内的网格。"""
    return selectors.layer_feature_collection(scope_of(request.user), selectors.layer_get(layer_id))


@layers_router.get("/layers/{layer_id}/coverage", response={200: CoverageOut, 400: ErrorOut, 403: ErrorOut})
def layer_coverage(request, layer_id: int, tolerance: float | None = None):
    """无缝覆盖检查：缝隙、兄弟网格重叠、超出上级的部分（平方米）。"""
    _require(permissions.can_manage_grid_layers(request.user))
    return services.coverage_of_layer(layer=selectors.layer_get(layer_id), tolerance_m2=tolerance)


@layers_router.post("/layers/{layer_id}/activate", response={200: LayerOut, 400: ErrorOut, 403: ErrorOut, 409: NotSeamlessOut})
def layer_activate(request, layer_id: int, reason: str = ""):
    """启用图层（须无缝）；原图层网格上的岗位、组织和账号数据范围在同一事务中随迁，有无处挂靠者时拒绝（400）。"""
    _require(permissions.can_manage_grid_layers(request.user))
    try:
        layer = services.grid_layer_activate(layer=selectors.layer_get(layer_id), actor=request.user, reason=reason)
    except services.LayerNotSeamless as refused:
        return Status(409, {"detail": str(refused), **refused.report})
    return _layer_out(layer)


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@layers_router.get("/outlines", response=dict, auth=None)
def grid_outlines(request):
    """当前图层各基础网格（三级）的简化边界（GeoJSON），仅含编码和名称；公开，供上报和公开地图作底图。
    带 ETag，内容未变时答 304；客户端接受 gzip 时压缩传输。"""
    found = outlines.basic_grid_outlines()
    if request.headers.get("If-None-Match") == found.etag:
        response = HttpResponseNotModified()
    elif ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(found.gzipped, content_type="application/geo+json; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(found.body, content_type="application/geo+json; charset=utf-8")
    # The same for everyone; the browser asks again each time and gets a 304 while nothing changed.
    response["ETag"] = found.etag
    response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@divisions_router.get("", response=list[DivisionOut])
def division_list(request):
    return [
        {"code": d.code, "name": d.name, "kind": d.kind, "parent_code": d.parent.code if d.parent else None}
        for d in selectors.division_list(scope_of(request.user)).select_related("parent")
    ]


@divisions_router.get("/{code}", response=DivisionOut)
def division_detail(request, code: str):
    d = selectors.division_get(scope_of(request.user), code)
    return {"code": d.code, "name": d.name, "kind": d.kind, "parent_code": d.parent.code if d.parent else None}
