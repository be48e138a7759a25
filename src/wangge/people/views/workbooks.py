"""The workbooks page: per kind a template, an export and an upload, and after an upload the
report of every row that stops the import (or what was imported). Downloads are served by
the API (`/api/workbooks/...`), which accepts the signed-in session."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from wangge.geo.scope import scope_of

from ..workbooks import KINDS, Kind, WorkbookRefused, kind_get, workbook_import
from ..workbooks.sheets import refused as refusal


def _upload(request) -> dict:
    kind: Kind = kind_get(request.POST.get("kind", ""))
    if not kind.may_write(request.user):
        raise PermissionDenied(f"没有权限导入{kind.title}")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise refusal("请选择要导入的 .xlsx 文件")
        imported = workbook_import(kind=kind, file=upload, scope=scope_of(request.user), actor=request.user)
    except WorkbookRefused as refused:
        return {"kind": kind, "refused": refused, "filename": upload.name if upload else ""}
    return {"kind": kind, "imported": imported, "filename": upload.name}


@login_required
@require_http_methods(["GET", "POST"])
def workbooks(request):
    result = _upload(request) if request.method == "POST" else None
    kinds = [{"kind": kind, "may_write": kind.may_write(request.user)} for kind in KINDS.values()]
    return render(request, "people/workbooks.html", {"kinds": kinds, "result": result})
