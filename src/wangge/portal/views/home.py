"""The portal's home page: the newest of each section, what is shown now, the resident services
and a few of the district's headline figures."""

from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from wangge.core.figures import figure_info, headline
from wangge.geo.scope import Scope

from .. import selectors
from .common import public_context

LATEST_PER_SECTION = 5
CURRENT_DISCLOSURES = 6
# The figures the public sees, from the dashboard's published headline of the whole district.
PUBLIC_FIGURES = ("communities", "grids_by_level.3", "grid_workers", "cases_closed_last_30_days", "on_time_rate")
FIGURES_CACHE_SECONDS = 300  # computed from the data, at most this old


def _value(figures: dict, key: str):
    value = figures
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def public_figures() -> list[dict]:
    def compute() -> list[dict]:
        figures = headline(Scope.district())
        shown = []
        for key in PUBLIC_FIGURES:
            info, value = figure_info(key), _value(figures, key)
            if info.percent and value is not None:
                value, unit = f"{value * 100:.1f}", "%"
            else:
                unit = info.unit
            shown.append({"key": key, "label": info.label, "value": "—" if value is None else value, "unit": unit})
        return shown

    return cache.get_or_set("wangge:portal:figures", compute, FIGURES_CACHE_SECONDS)


@require_safe
def home(request):
    now = timezone.now()
    context = public_context(
        "home",
        sections=selectors.sections_with_latest(LATEST_PER_SECTION),
        disclosures=list(selectors.disclosures_current(now)[:CURRENT_DISCLOSURES]),
        figures=public_figures(),
    )
    return render(request, "portal/home.html", context)
