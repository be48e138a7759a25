"""Requests carrying a NUL character (U+0000) are refused at the door.

PostgreSQL text columns cannot hold NUL, so such a value would fail deep inside a write with a
server error; SQLite would store it. Refusing it here gives one clear answer on both. File
uploads (multipart) carry binary data and are left to their own checks.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse

DETAIL = "请求中含有不允许的空字符（U+0000）"
TEXT_BODIES = ("application/json", "application/geo+json", "application/x-www-form-urlencoded")


def _carries_nul(request) -> bool:
    if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    if request.content_type not in TEXT_BODIES:
        return False
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return False  # too big to read here; the view that reads it refuses it first
    try:
        body = request.body
    except RequestDataTooBig:
        return False
    return b"\x00" in body or b"\\u0000" in body or (request.content_type.endswith("urlencoded") and b"%00" in body)


class RefuseNul:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            return JsonResponse({"detail": DETAIL, "errors": []}, status=400)
        return self.get_response(request)
