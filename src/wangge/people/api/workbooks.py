"""Workbooks (.xlsx) over the API: templates for everyone signed in; exports and imports for
those who may keep that kind of record."""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Path, Query, Router, Schema, UploadedFile
from pydantic import WithJsonSchema

from wangge.core.errors import ApiError, ErrorOut
from wangge.geo.scope import scope_of

from ..workbooks import (
    KINDS,
    WorkbookRefused,
    kind_get,
    workbook_export,
    workbook_import,
    workbook_template,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Upload = Annotated[UploadedFile, File(description=".xlsx 工作簿")]
# The schema lists the kinds, so that clients (and the API fuzzer) know them; an unknown
# kind is still answered 404 by the route, as an unknown object would be.
KindName = Annotated[str, WithJsonSchema({"type": "string", "enum": list(KINDS)}), Path(description="表格种类")]
DOWNLOAD = {"responses": {"200": {"description": ".xlsx 工作簿", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}


class ImportedOut(Schema):
    imported: int
    report: list[str]


class RowErrorOut(Schema):
    row: int | None
    field: str | None
    reason: str


class RefusedOut(Schema):
    detail: str
    errors: list[RowErrorOut]
    report: list[str] = []  # none when the request is refused before the workbook is read (a NUL in a field)


router = Router(tags=["表格导入导出"])


def _download(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(content, content_type=XLSX, headers={"Content-Disposition": content_disposition_header(True, filename)})


def _writable_kind(request, kind: str):
    chosen = kind_get(kind)
    if not chosen.may_write(request.user):
        raise PermissionDenied(f"没有权限导入或导出{chosen.title}")
    return chosen


@router.get("/{kind}/template", response={404: ErrorOut}, openapi_extra=DOWNLOAD, url_name="workbook_template", summary="下载导入模板")
def template_download(request, kind: KindName):
    """空白导入模板：表头（* 为必填）和“填写说明”工作表。"""
    chosen = kind_get(kind)
    return _download(workbook_template(kind=chosen), f"{chosen.title}导入模板.xlsx")


@router.get("/{kind}/export", response={400: ErrorOut, 403: ErrorOut, 404: ErrorOut}, openapi_extra=DOWNLOAD, url_name="workbook_export", summary="导出（脱敏）")
def export_download(request, kind: KindName, approval: int | None = Query(None, description="导出审批编号：凭本人已获批准的申请导出一次完整信息")):
    """导出您负责范围内的记录；身份证号、电话等个人信息脱敏。凭已批准的导出审批（24 小时内、仅限申请人和该表格种类、仅一次）导出完整信息。"""
    chosen = _writable_kind(request, kind)
    content = workbook_export(kind=chosen, scope=scope_of(request.user), actor=request.user, approval_id=approval)
    return _download(content, f"{chosen.title}{'（完整信息）' if approval is not None else ''}.xlsx")


@router.post("/{kind}/import", response={200: ImportedOut, 400: RefusedOut, 403: ErrorOut, 404: ErrorOut}, url_name="workbook_import", summary="导入")
def import_upload(request, kind: KindName, file: Upload):
    """导入整个工作簿：逐行检查，全部无误才写入，否则一行也不导入并列出每处错误。"""
    chosen = _writable_kind(request, kind)
    try:
        imported = workbook_import(kind=chosen, file=file, scope=scope_of(request.user), actor=request.user)
    except WorkbookRefused as refused:
        raise ApiError(400, refused.detail, [p.as_dict() for p in refused.problems], report=refused.report) from None
    return {"imported": imported.count, "report": imported.report}
