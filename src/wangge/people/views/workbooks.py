"""The workbooks page: per kind a template, an export and an upload, and after an upload the
report of every row that stops the import (or what was imported). Downloads are served by
the API (`/api/workbooks/...`), which accepts the signed-in session."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from wangge.geo.scope import scope_of

from ..forms import upload_form
from ..workbooks import KINDS, Kind, WorkbookRefused, kind_get, workbook_import


def _upload(request, form) -> dict | None:
    """The import's result, or None when the form itself is refused (its field shows why)."""
    if not form.is_valid():
        return None
    kind: Kind = kind_get(request.POST.get("kind", ""))
    upload = form.cleaned_data["file"]
    try:
        imported = workbook_import(kind=kind, file=upload, scope=scope_of(request.user), actor=request.user)
    except WorkbookRefused as refused:
        return {"kind": kind, "refused": refused, "filename": upload.name}
    return {"kind": kind, "imported": imported, "filename": upload.name}


@login_required
@require_http_methods(["GET", "POST"])
def workbooks(request):
    posted, result = None, None
    if request.method == "POST":
        posted = kind_get(request.POST.get("kind", ""))
        if not posted.may_write(request.user):
            raise PermissionDenied(f"没有权限导入{posted.title}")
        form = upload_form(posted.name, request.POST, request.FILES)
        result = _upload(request, form)
    kinds = [
        {"kind": kind, "may_write": kind.may_write(request.user), "form": form if posted and kind.name == posted.name else upload_form(kind.name)}
        for kind in KINDS.values()
    ]
    return render(request, "people/workbooks.html", {"kinds": kinds, "result": result}, status=400 if posted and result is None else 200)
