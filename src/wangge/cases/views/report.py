"""Reporting from a phone: the form with its offline queue, the reporter's own list, and the
service worker that lets the form open again without signal.

The page itself writes nothing: report.js keeps each report in the browser (IndexedDB) from the
moment it is written and sends it to `POST /api/cases` with the report's client id as the
Idempotency-Key, so that a report sent twice over a bad line still makes one case.
"""

import hashlib
import json
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import selectors
from ..follow import follow_code
from ..models import MAX_DESCRIPTION, Category
from ..permissions import can_report
from ..selectors_pages import active_categories

MY_REPORTS_PER_PAGE = 30
# What the service worker keeps for opening /report offline; its cache name follows their bytes.
OFFLINE_ASSETS = (
    "cases/report.js", "cases/report_map.js", "cases/report.css", "wangge/base.css",
    "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css",
)
# Data the service worker keeps too (fetched fresh whenever the network answers): the map's
# outlines, so that the map still draws offline.
OFFLINE_DATA = ("/api/grids/outlines",)


def _require_reporter(user) -> None:
    if not can_report(user):
        raise PermissionDenied("只有网格员、居民等可上报事件的用户可以使用此页面")


def _category_groups() -> list[dict]:
    """Active categories under their kind (部件, 事件, 社会治理); a sub-category names its parent,
    since "其他" alone would not say of what."""
    groups = defaultdict(list)
    for c in active_categories().select_related("parent"):
        label = f"{c.parent.name} · {c.name}" if c.parent_id else c.name
        groups[c.kind].append({"code": c.code, "label": label})
    return [{"label": label, "categories": groups[kind]} for kind, label in Category.Kind.choices if groups[kind]]


@login_required
def report(request):
    _require_reporter(request.user)
    groups = _category_groups()
    config = {
        "user": request.user.pk,
        "api": "/api/cases",
        "photos": "/api/cases/{id}/photos",
        "case_page": "/cases/{id}",
        "grid_at": "/api/cases/grid-at",
        "outlines": OFFLINE_DATA[0],
        "tile_url": settings.WANGGE_TILE_URL,
        "tile_attribution": settings.WANGGE_TILE_ATTRIBUTION,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "max_photos": settings.WANGGE_CASE_PHOTOS_PER_CASE,
        "max_description": MAX_DESCRIPTION,
        "categories": {c["code"]: c["label"] for g in groups for c in g["categories"]},
        "service_worker": reverse("case-report-sw"),
        "service_worker_scope": reverse("case-report"),
    }
    context = {"groups": groups, "config": config, "max_photos": config["max_photos"], "max_description": MAX_DESCRIPTION}
    return render(request, "cases/report.html", context)


@login_required
def my_reports(request):
    """The signed-in user's own reports, newest first. Through the scoped selector: a report
    of one's own is always in it, whatever the reporter's node."""
    cases = selectors.case_list(request.user).filter(reporter=request.user).select_related("category").order_by("-reported_at", "-pk")
    page = Paginator(cases, MY_REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    for case in page:
        case.follow_code = follow_code(case)  # the reporter's own: shown so they can follow it on the portal
    return render(request, "cases/my_reports.html", {"page": page, "can_report": can_report(request.user)})


def _asset_digest() -> str:
    digest = hashlib.sha256()
    for name in OFFLINE_ASSETS:
        path = finders.find(name)
        if path is None and settings.STATIC_ROOT:
            path = settings.STATIC_ROOT / name
        try:
            with open(path, "rb") as f:
                digest.update(f.read())
        except (OSError, TypeError):
            digest.update(name.encode())
    return digest.hexdigest()


@require_GET
def report_service_worker(request):
    """The service worker, served from /report/ so that it may control /report itself (a
    script's scope may not reach above its own folder; the header lets it take "/report"
    rather than only "/report/..."). Not behind login: the browser re-checks it for updates
    whoever is signed in, and it holds no data, only the list of what to keep."""
    assets = [static(name) for name in OFFLINE_ASSETS] + list(OFFLINE_DATA)
    version = hashlib.sha256((_asset_digest() + "|".join(assets)).encode()).hexdigest()[:12]
    config = {"cache": f"wangge-report-{version}", "page": reverse("case-report"), "assets": assets}
    body = render_to_string("cases/report_sw.js", {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("case-report")
    response["Cache-Control"] = "no-cache"
    return response
