"""The map of Red Property's compounds (/property/map): the registry's compounds and courtyards
in the caller's scope, coloured by management mode or by the stars of the latest published
rating, with a link to the chart of stars per subdistrict; where a compound lies is its boundary or, without one,
the middle of the registry buildings it holds."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg
from django.shortcuts import render

from wangge.accounts.permissions import is_official
from wangge.core.menu import register_menu_entry
from wangge.geo.scope import scope_of

from .headline import latest_stars
from .models import Compound
from .selectors.records import compounds_visible

MODE_COLOURS = {Compound.Mode.MARKET: "#1f78b4", Compound.Mode.SELF: "#33a02c", Compound.Mode.OWNERLESS: "#e31a1c"}
# Unrated (0) grey, then one to five stars from pale to deep red.
STAR_COLOURS = {0: "#bdbdbd", 1: "#fee5d9", 2: "#fcae91", 3: "#fb6a4a", 4: "#de2d26", 5: "#a50f15"}


def can_read_property_map(user) -> bool:
    """Officials read the map of their subtree; company accounts keep to their own pages."""
    return is_official(user) and scope_of(user).prefix is not None


def compound_places(user) -> list[dict]:
    """The registry's compounds the user sees, with where they lie and their mode, one query."""
    rows = (
        compounds_visible(user).select_related("community")
        .annotate(lon=Avg("holdings__building__lon"), lat=Avg("holdings__building__lat")).order_by("community__code", "name")
    )
    return [
        {"id": c.pk, "name": c.name, "kind": c.get_kind_display(), "community": c.community.name, "mode": c.mode, "boundary": c.boundary or None,
         "lon": float(c.lon) if c.lon is not None else None, "lat": float(c.lat) if c.lat is not None else None}
        for c in rows if c.boundary or c.lon is not None
    ]


@login_required
def compound_map(request):
    if not can_read_property_map(request.user):
        raise PermissionDenied("只有区、街道、社区干部可以查看红色物业地图")
    scope = scope_of(request.user)
    year, stars = latest_stars(scope)
    places = compound_places(request.user)
    for place in places:
        place["stars"] = stars.get(place["id"], 0)
    modes = [{"key": key, "label": label, "colour": MODE_COLOURS[key], "count": sum(1 for p in places if p["mode"] == key)} for key, label in Compound.Mode.choices]
    star_legend = [{"key": str(n), "label": f"{n} 星" if n else "未评定", "colour": STAR_COLOURS[n], "count": sum(1 for p in places if p["stars"] == n)}
                   for n in sorted(STAR_COLOURS, reverse=True)]
    colours = {"mode": {m["key"]: m for m in modes}, "stars": {s["key"]: s for s in star_legend}}
    context = {"places": places, "modes": modes, "stars": star_legend, "rating_year": year, "colours": colours,
               "tile_url": settings.WANGGE_TILE_URL, "tile_attribution": settings.WANGGE_TILE_ATTRIBUTION}
    return render(request, "property/map.html", context)


def register_menu() -> None:
    register_menu_entry("红色物业地图", "property-map", section="property", order=86, visible=can_read_property_map)
