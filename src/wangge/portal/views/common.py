"""What the public pages share: their context, paging, form errors and the submission limit."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Page, Paginator

from wangge.core.audit import client_address
from wangge.core.limits import HOUR, window_count

from ..site import footer_lines, site_name

PER_PAGE = 15
# Anonymous forms (needs, objections) take this many submissions per client address an hour.
# The count lives in Django's cache: per process with the default local-memory cache, shared
# by every worker once a shared cache (Redis, database) is configured.
SUBMISSIONS_PER_HOUR = settings.WANGGE_PORTAL_SUBMISSIONS_PER_HOUR
TOO_MANY = "提交过于频繁：同一网络每小时最多提交 {limit} 次，请稍后再试"


def public_context(current: str, **extra) -> dict:
    """The layout's variables. Pages rendered without a request (the cached article page) get
    them here rather than from the context processors, and nothing in them names the visitor."""
    return {
        "site_name": site_name(),
        "footer": footer_lines(),
        "current": current,
        **extra,
    }


def crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """当前位置：首页 > ... : (label, link) pairs, the last one without a link."""
    return [("首页", "/"), *trail]


def page_of(items, request, per_page: int = PER_PAGE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def errors_of(error: ValidationError) -> dict[str, str]:
    """Field name → its messages in one line; errors without a field go under "form"."""
    if hasattr(error, "error_dict"):
        return {("form" if field == NON_FIELD_ERRORS else field): "；".join(messages) for field, messages in error.message_dict.items()}
    return {"form": "；".join(error.messages)}


def _bucket(request, name: str) -> str:
    return f"wangge:portal:limit:{name}:{client_address(request) or '-'}"


def over_limit(request, name: str, limit: int = SUBMISSIONS_PER_HOUR) -> str:
    """The Chinese message when this address has used up its submissions, else ''."""
    return TOO_MANY.format(limit=limit) if cache.get(_bucket(request, name), 0) >= limit else ""


def count_submission(request, name: str) -> None:
    """One accepted submission; the window starts with the first (a fixed hour, not sliding)."""
    window_count(_bucket(request, name), HOUR)
