"""Requests carrying a NUL character (U+0000) are refused at the door.

PostgreSQL text columns cannot hold NUL, so such a value would fail deep inside a write with a
server error; SQLite would store it. Refusing it here gives one clear answer on both. In a
multipart form the text fields (and file names) are checked; file contents are binary and are
left to their own checks.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError

DETAIL = "请求中含有不允许的空字符（U+0000）"
BROKEN_FORM = "表单格式不正确，无法解析"
TEXT_BODIES = ("application/json", "application/geo+json", "application/x-www-form-urlencoded")


def readable_body(request) -> bytes:
    """The body, unless it is too big to read here (the view that reads it refuses it first)."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return b""
    try:
        return request.body
    except RequestDataTooBig:
        return b""


def _multipart_carries_nul(request) -> bool:
    # Parsing the form here only does early what the view would do; Django keeps the result.
    texts = [*request.POST.keys(), *request.POST.values(), *request.FILES.keys(), *(f.name or "" for f in request.FILES.values())]
    return any("\x00" in text for text in texts)


def _carries_nul(request) -> bool:
    if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    if request.content_type == "multipart/form-data":
        return request.method == "POST" and _multipart_carries_nul(request)
    if request.content_type not in TEXT_BODIES:
        return False
    body = readable_body(request)
    return b"\x00" in body or b"\\u0000" in body or (request.content_type.endswith("urlencoded") and b"%00" in body)


class RefuseNul:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = DETAIL if _carries_nul(request) else None
        except MultiPartParserError:
            refused = BROKEN_FORM
        if refused:
            return JsonResponse({"detail": refused, "errors": []}, status=400, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)
