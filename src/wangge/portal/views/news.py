"""The news centre: sections, their lists, the article page and its view-count beacon.

The article page is the portal's busiest page. It is rendered once per (article, its last
change, its address) and then served from Django's cache after one small query by primary key;
nothing in it depends on the visitor. The view count is therefore not counted here but by the
page's script, which POSTs to the beacon and writes the count it gets back into the page.
"""

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from .. import qr, selectors, visits
from ..crawlers import is_crawler
from ..render import sealed_parts
from .common import crumbs, page_of, public_context

LATEST_PER_SECTION = 8
ARTICLE_CACHE_SECONDS = 24 * 3600  # the key changes with the article, so this only frees memory


@require_safe
def news_centre(request):
    context = public_context("news", sections=selectors.sections_with_latest(LATEST_PER_SECTION), crumbs=crumbs(("新闻中心", None)))
    return render(request, "portal/news.html", context)


@require_safe
def section_page(request, code: str):
    section = selectors.section_get(code)
    articles = selectors.article_published_list().filter(section=section).order_by("-published_at", "-pk")
    context = public_context(
        "news", section=section, page=page_of(articles, request), crumbs=crumbs(("新闻中心", "/news"), (section.name, None)),
    )
    return render(request, "portal/section.html", context)


def _article_html(pk: int, url: str) -> str:
    article = selectors.article_published_get(pk)
    head, body = sealed_parts(article)
    context = public_context(
        "news", article=article, section=article.section, head=head, body=body, page_url=url,
        qr_svg=qr.svg(url), view_url=reverse("portal-article-view", args=[pk]),
        crumbs=crumbs(("新闻中心", "/news"), (article.section.name, f"/news/{article.section.code}"), ("正文", None)),
    )
    return render_to_string("portal/article.html", context)


@require_safe
def article_page(request, pk: int):
    """Only published articles; the sealed head and body as they were sealed, the rest around."""
    key = selectors.article_page_key(pk)
    if key is None:
        raise Http404("文章不存在或已撤回")
    url = request.build_absolute_uri(request.path)  # the page's own address, without a query to vary the cache by
    updated_at, digest, section_code, section_name = key
    version = hashlib.sha256(f"{pk}|{updated_at}|{digest}|{section_code}|{section_name}|{url}".encode()).hexdigest()
    etag = f'"{version[:32]}"'
    if request.META.get("HTTP_IF_NONE_MATCH") == etag:  # not request.headers, which copies them all
        response = HttpResponseNotModified()
    else:
        cache_key = f"wangge:portal:article:{version}"
        html = cache.get(cache_key)
        if html is None:
            html = _article_html(pk, url)
            cache.set(cache_key, html, ARTICLE_CACHE_SECONDS)
        response = HttpResponse(html)
    # Public and the same for everyone; the browser asks again each time (a withdrawn article
    # must disappear at once) and gets a 304 while nothing changed.
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response


# The beacon changes nothing but a count, and a keepalive fetch sent as the page closes cannot
# carry our CSRF header, so it is exempt from CSRF.
@csrf_exempt
@require_POST
def article_view(request, pk: int):
    """Count a view of a published article (once per visitor per day; never for crawlers) and
    answer {"views": n}."""
    if selectors.article_page_key(pk) is None:
        raise Http404("文章不存在或已撤回")
    if is_crawler(request.headers.get("User-Agent", "")):
        response = JsonResponse({"views": visits.article_views(pk)})
    else:
        token, new = visits.visitor_token(request.COOKIES.get(visits.VISITOR_COOKIE))
        views = visits.article_view_record(article_id=pk, visitor=visits.visitor_digest(token), day=timezone.localdate())
        response = JsonResponse({"views": views})
        if new:
            response.set_cookie(
                visits.VISITOR_COOKIE, token, max_age=visits.VISITOR_COOKIE_AGE, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )
    response["Cache-Control"] = "no-store"
    return response
