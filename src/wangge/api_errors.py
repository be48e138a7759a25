"""One error shape for the whole API: {"detail": "...", "errors": [...]}, in Chinese."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: list | None = None, **extra) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors, self.extra = status, detail, errors or [], extra


def _field_errors(error: ValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [{"field": field, "reason": "；".join(m for e in errors for m in e.messages)} for field, errors in error.error_dict.items()]
    return [{"field": None, "reason": message} for message in error.messages]


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
        errors = [{"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "reason": e.get("msg", "")} for e in exc.errors]
        fields = "、".join(e["field"] for e in errors if e["field"])
        return api.create_response(request, {"detail": f"请求参数无效：{fields or '请求体'}", "errors": errors}, status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "未找到该对象", "errors": []}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, {"detail": str(exc) or "没有权限执行此操作", "errors": []}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, {"detail": "请先登录或提供有效的接口令牌", "errors": []}, status=401)
