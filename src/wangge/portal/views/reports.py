"""The public map of recent reports (事件地图): what was reported where in the last month and
how far it has got, for anyone, FixMyStreet-style. What it may show is the cases' public
selection (`cases/selectors_public.py`): category, status, day and a point to about 100 m;
never a reporter, a description or an address."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from wangge.cases.selectors_public import RECENT_DAYS, RECENT_LIMIT, recent_reports

from .common import crumbs, public_context


@require_safe
def reports_map(request):
    reports = recent_reports()
    still_open = sum(1 for r in reports if r["open"])
    context = public_context(
        "reports", reports=reports, days=RECENT_DAYS, limit=RECENT_LIMIT,
        open_count=still_open, closed_count=len(reports) - still_open,
        tile_url=settings.WANGGE_TILE_URL, tile_attribution=settings.WANGGE_TILE_ATTRIBUTION,
        crumbs=crumbs(("便民服务", "/services"), ("事件地图", None)),
    )
    return render(request, "portal/reports.html", context)
