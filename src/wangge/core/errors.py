"""One error shape for the whole API: {"detail": "...", "errors": [...]}, in Chinese."""

import re

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

CJK = re.compile(r"[\u4e00-\u9fff]")
# What each status means when nothing more specific is known (Django's own pages, ninja's
# English messages): never an English sentence.
STATUS_DETAIL = {
    400: "请求无效",
    401: "请先登录或提供有效的接口令牌",
    403: "没有权限执行此操作",
    404: "未找到该对象",
    405: "不支持该请求方法",
    406: "无法提供所请求的格式",
    409: "请求与当前状态冲突",
    413: "请求体过大",
    415: "不支持该请求体类型",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误，请稍后再试",
}

# Pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/), worded in
# Chinese; the context fills the limits in. A type not listed gets REASON_FALLBACK.
REASONS = {
    "missing": "必填",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON 字符串",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能有小数部分",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "bool_parsing": "应为布尔值（true 或 false）",
    "bool_type": "应为布尔值（true 或 false）",
    "string_type": "应为字符串",
    "string_unicode": "应为有效的 Unicode 字符串",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "enum": "应为以下取值之一：{expected}",
    "literal_error": "应为以下取值之一：{expected}",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "list_type": "应为数组",
    "tuple_type": "应为数组",
    "set_type": "应为数组",
    "date_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_type": "日期格式不正确，应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期，不能带时间",
    "datetime_parsing": "时间格式不正确，应为 ISO 8601（如 2024-01-31T09:00:00+08:00）",
    "datetime_type": "时间格式不正确，应为 ISO 8601（如 2024-01-31T09:00:00+08:00）",
    "datetime_from_date_parsing": "时间格式不正确，应为 ISO 8601（如 2024-01-31T09:00:00+08:00）",
    "time_parsing": "时刻格式不正确，应为 HH:MM[:SS]",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "url_parsing": "应为有效的网址",
    "url_scheme": "网址协议不受支持",
    "extra_forbidden": "不允许此字段",
    "none_required": "应为空",
    "bytes_too_long": "不能超过 {max_length} 字节",
    "bytes_too_short": "至少 {min_length} 字节",
}
REASON_FALLBACK = "取值无效"
CSRF_DETAIL = "CSRF 校验失败：请刷新页面后重试，或改用接口令牌"


class ErrorOut(Schema):
    """The shape every error answer takes, for the OpenAPI schema."""

    detail: str
    errors: list[dict] = []


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: list | None = None, **extra) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors, self.extra = status, detail, errors or [], extra


def _field_errors(error: ValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [{"field": field, "reason": "；".join(m for e in errors for m in e.messages)} for field, errors in error.error_dict.items()]
    return [{"field": None, "reason": message} for message in error.messages]


def schema_reason(error: dict) -> str:
    """A pydantic error in Chinese. A validator's own message is kept when it is Chinese."""
    message = str(error.get("msg", ""))
    if error.get("type") in {"value_error", "assertion_error"} and CJK.search(message):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = REASONS.get(error.get("type", ""), REASON_FALLBACK)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return REASON_FALLBACK


def suspicious_detail(exc: SuspiciousOperation) -> tuple[int, str]:
    """The request Django refused before any view saw it, in Chinese."""
    if isinstance(exc, RequestDataTooBig):
        return 400, f"请求体过大，上限为 {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MB"
    if isinstance(exc, TooManyFieldsSent):
        return 400, f"表单字段过多，上限为 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个"
    if isinstance(exc, TooManyFilesSent):
        return 400, f"上传文件过多，上限为 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个"
    return 400, STATUS_DETAIL[400]


def status_detail(status: int) -> str:
    return STATUS_DETAIL.get(status, STATUS_DETAIL[500] if status >= 500 else STATUS_DETAIL[400])


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return api.create_response(request, {"detail": exc.detail, "errors": exc.errors, **exc.extra}, status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = _field_errors(exc)
        detail = "；".join(f"{e['field']}：{e['reason']}" if e["field"] else e["reason"] for e in errors)
        return api.create_response(request, {"detail": detail, "errors": errors}, status=400)

    @api.exception_handler(SchemaValidationError)
    def schema_error(request, exc: SchemaValidationError):
        errors = [{"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "reason": schema_reason(e)} for e in exc.errors]
        fields = "、".join(e["field"] for e in errors if e["field"])
        return api.create_response(request, {"detail": f"请求参数无效：{fields or '请求体'}", "errors": errors}, status=422)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja's own refusals are English ("Cannot parse request body" for a body that is not JSON).
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = "请求体不是有效的 JSON"
        elif message.startswith("CSRF"):
            message = CSRF_DETAIL
        detail = message if CJK.search(message) else status_detail(exc.status_code)
        return api.create_response(request, {"detail": detail, "errors": []}, status=exc.status_code)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc: SuspiciousOperation):
        status, detail = suspicious_detail(exc)
        return api.create_response(request, {"detail": detail, "errors": []}, status=status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "未找到该对象", "errors": []}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, {"detail": str(exc) or "没有权限执行此操作", "errors": []}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, {"detail": "请先登录或提供有效的接口令牌", "errors": []}, status=401)
