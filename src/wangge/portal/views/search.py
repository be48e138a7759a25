"""Search across published articles and disclosures, with the term highlighted."""

import re
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from .. import selectors
from .common import crumbs, page_of, public_context

MIN_QUERY = 2
MAX_QUERY = 50
SNIPPET = 60  # characters either side of the first hit
PER_PAGE = 10


def highlight(text: str, query: str) -> str:
    """`text` escaped, every occurrence of `query` (any case) in <mark>."""
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return mark_safe("".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(parts)))


def _snippet(text: str, query: str) -> str:
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: SNIPPET * 2] + ("…" if len(text) > SNIPPET * 2 else "")
    start, end = max(0, at - SNIPPET), at + len(query) + SNIPPET
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _shown(hit: dict, query: str) -> dict:
    name = "portal-article" if hit["type"] == "article" else "portal-disclosure"
    return {
        "url": reverse(name, args=[hit["pk"]]),
        "title": highlight(hit["title"], query),
        "snippet": highlight(_snippet(" ".join(hit["body_text"].split()), query), query),
        "published_at": hit["published_at"],
        "label": hit.get("section__name") or "公开公示",
    }


@require_safe
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    context = public_context("search", q=query, page=None, hits=[], message="", crumbs=crumbs(("站内搜索", None)))
    if len(query) < MIN_QUERY:
        context["message"] = f"请输入至少 {MIN_QUERY} 个字的关键词" if query else "请输入要搜索的关键词（至少 2 个字）"
    else:
        page = page_of(selectors.search_published(query, timezone.now()), request, PER_PAGE)
        context.update(page=page, hits=[_shown(hit, query) for hit in page], query=urlencode({"q": query}) + "&")
    return render(request, "portal/search.html", context)
