"""Errors outside any view's own answer, in the API's one Chinese shape.

Django answers some requests before (or instead of) a view: a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, too many form fields, an unknown path, a method a route does not
take, a failed CSRF check, an uncaught exception. Its answers are English HTML pages; under
/api/ and /open311/ they become {"detail", "errors"} in Chinese, and a page gets a short
Chinese page. Answers a view gave in JSON or XML (Open311's own error list) are left as they are.

The pages (handler400/403/404/500) take the portal's look on the public site and the back-office
shell's elsewhere, and show the reason the code gave when it is one written for people (a Chinese
sentence, as in Http404("文章不存在或已撤回")); Django's own English reasons, which may name
models and internals, are never shown, and a 500 says only that something went wrong.
"""

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.html import escape

from wangge.core.errors import CJK, CSRF_DETAIL, status_detail, suspicious_detail

logger = logging.getLogger(__name__)

TITLES = {400: "请求无效", 403: "没有访问权限", 404: "页面不存在", 500: "服务器出错了"}
HINTS = {
    400: "请检查填写的内容后重试。",
    403: "如需访问，请联系所在单位的管理员开通相应权限。",
    404: "您访问的页面不存在、已删除或已撤回，请检查地址是否正确。",
    500: "我们已记录此问题，请稍后再试。如多次出现，请联系系统管理员。",
}
# Public pages are the portal's: their URL names start with "portal-" (portal/public_urls.py).
PUBLIC_URL_NAME_PREFIX = "portal-"

API_PREFIXES = ("/api/", "/open311/")
VIEW_FORMATS = ("application/json", "application/geo+json", "text/xml", "application/xml")


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def error_json(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": []}, status=status, json_dumps_params={"ensure_ascii": False})


def _is_public(request) -> bool:
    """Whether the page asked for is the public portal's (or, when no page matches, whether the
    visitor is not signed in to the back office)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)
    return (match.url_name or "").startswith(PUBLIC_URL_NAME_PREFIX)


def safe_reason(exception) -> str:
    """The reason a view gave, when it is a sentence written for the person asking (Chinese, one
    line, short); "" for Django's own English reasons and anything else."""
    args = getattr(exception, "args", ())
    reason = args[0] if len(args) == 1 and isinstance(args[0], str) else ""
    if not reason or not CJK.search(reason) or "\n" in reason or len(reason) > 200:
        return ""
    return reason


def error_page(request, status: int, reason: str = "") -> HttpResponse:
    """The error page in the look of where it was asked for. What broke behind a 500 may be the
    database (or, on PostgreSQL, the transaction the request ran in): the page is then drawn
    again without what it would ask the database for (the side menu, the inbox, the node's
    name), and as a plain Chinese page if even that cannot be drawn."""
    context = {"status": status, "title": TITLES.get(status, status_detail(status)), "reason": reason,
               "hint": HINTS.get(status, ""), "public": _is_public(request)}
    template = "errors/public.html" if context["public"] else "errors/shell.html"
    try:
        return HttpResponse(render_to_string(template, context, request=request), status=status)
    except Exception:  # noqa: BLE001 (an error page must not fail in turn)
        logger.exception("the %s page could not be drawn", status)
    request.drawing_without_database = True
    try:
        return HttpResponse(render_to_string(template, context, request=request), status=status)
    except Exception:  # noqa: BLE001
        logger.exception("the %s page could not be drawn without the database either", status)
    page = (f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{escape(context["title"])}</title>'
            f'<h1>{escape(context["title"])}</h1><p>{escape(reason or context["hint"])}</p><p><a href="/">返回首页</a></p></html>')
    return HttpResponse(page, status=status)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's reason is English and names internals; it is not shown."""
    if _is_api(request):
        return error_json(403, CSRF_DETAIL)
    return error_page(request, 403, CSRF_DETAIL)


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
    return error_page(request, status, detail)


def permission_denied(request, exception=None) -> HttpResponse:
    """handler403: the reason a view gave (PermissionDenied("只有安全审计员可以查看审计记录"))."""
    if _is_api(request):
        return error_json(403, safe_reason(exception) or status_detail(403))
    return error_page(request, 403, safe_reason(exception))


def page_not_found(request, exception=None) -> HttpResponse:
    """handler404: the reason a view gave (Http404("文章不存在或已撤回")), never the resolver's."""
    if _is_api(request):
        return error_json(404, status_detail(404))
    return error_page(request, 404, safe_reason(exception))


def server_error(request) -> HttpResponse:
    """handler500: a generic message only; what went wrong is in the log, not on the page."""
    if _is_api(request):
        return error_json(500, status_detail(500))
    return error_page(request, 500)
