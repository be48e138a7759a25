"""Errors outside any view's own answer, in the API's one Chinese shape.

Django answers some requests before (or instead of) a view: a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, too many form fields, an unknown path, a method a route does not
take, a failed CSRF check, an uncaught exception. Its answers are English HTML pages; under
/api/ and /open311/ they become {"detail", "errors"} in Chinese, and a page gets a short
Chinese page. Answers a view gave in JSON or XML (Open311's own error list) are left as they are.
"""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.html import escape

from wangge.core.errors import CSRF_DETAIL, status_detail, suspicious_detail

API_PREFIXES = ("/api/", "/open311/")
VIEW_FORMATS = ("application/json", "application/geo+json", "text/xml", "application/xml")


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def error_json(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": []}, status=status, json_dumps_params={"ensure_ascii": False})


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's reason is English and names internals; it is not shown."""
    if _is_api(request):
        return error_json(403, CSRF_DETAIL)
    page = f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>请求被拒绝</title><h1>请求被拒绝</h1><p>{escape(CSRF_DETAIL)}</p><p><a href="/">返回首页</a></p></html>'
    return HttpResponseForbidden(page)


class ErrorShape:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not _is_api(request):
            return response
        if response.get("Content-Type", "").split(";")[0].strip() in VIEW_FORMATS:
            return response
        shaped = error_json(response.status_code, status_detail(response.status_code))
        if response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped


def bad_request(request, exception=None) -> HttpResponse:
    """handler400: a request Django refused (a body too big, too many fields) says why."""
    status, detail = suspicious_detail(exception) if isinstance(exception, SuspiciousOperation) else (400, status_detail(400))
    if _is_api(request):
        return error_json(status, detail)
    page = f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>请求无效</title><h1>请求无效</h1><p>{escape(detail)}</p></html>'
    return HttpResponse(page, status=status)
