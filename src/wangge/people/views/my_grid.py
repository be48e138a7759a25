"""The grid worker's pages, made for a phone in the field: their grid (for an official, a grid
they choose) with its map, staff, party organisation and buildings, and a building's residents.
Every row comes through a selector with the caller's scope; people leave only through masks.
"""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from wangge.geo.models import Grid
from wangge.geo.scope import Scope, scope_of
from wangge.geo.selectors import basic_grid_by_code, basic_grids

from ..masks import shown_person, shown_resident
from ..models import Building, GridPost
from ..models.buildings import dwelling_label
from ..permissions import can_issue_signup_codes
from ..selectors.buildings import building_get, building_list
from ..selectors.party import party_organisation_list
from ..selectors.persons import household_list, resident_list
from ..selectors.staff import post_list
from .access import require_grid_reader

Role = GridPost.Role

# 一格一干 多专多群, in the order a grid's notice board lists its staff.
STAFF_SECTIONS = [
    ("一格一干", "专职网格员", (Role.FULL_TIME,)),
    ("网格长·副网格长", "", (Role.LEADER, Role.DEPUTY)),
    ("多专", "专业力量", (Role.SPECIALIST,)),
    ("多群", "群防群治力量", (Role.GROUP,)),
]


@login_required
def my_grid(request):
    require_grid_reader(request.user)
    scope = scope_of(request.user)
    code = request.GET.get("grid", "").strip()
    if not code:
        # A grid worker's scope is their one grid; anyone with more picks one first.
        codes = list(basic_grids(scope).order_by("code").values_list("code", flat=True)[:2])
        if len(codes) != 1:
            grids = basic_grids(scope).select_related("community").order_by("code")
            return render(request, "people/grid_choice.html", {"grids": grids})
        code = codes[0]
    grid = basic_grid_by_code(scope, code)
    buildings = list(building_list(scope).filter(grid_code=grid.code).order_by("compound", "name"))
    context = {
        "grid": grid,
        "staff": _staff_sections(scope, grid),
        "organisations": _organisations(scope, grid),
        "buildings": buildings,
        "map_data": _map_data(grid, buildings),
    }
    return render(request, "people/my_grid.html", context)


@login_required
def my_grid_building(request, building_id: int):
    require_grid_reader(request.user)
    scope = scope_of(request.user)
    building = building_get(scope, building_id)
    residents = defaultdict(list)
    people = resident_list(scope).filter(household__building=building).prefetch_related("care_categories")
    for person in people.order_by("pk"):
        residents[person.household_id].append({**shown_resident(person), "has_account": person.user_id is not None})
    dwellings = [
        {"label": dwelling_label(h.unit, h.room), "residents": residents[h.pk]}
        for h in household_list(scope).filter(building=building).order_by("unit", "room")
    ]
    context = {"building": building, "dwellings": dwellings, "can_issue_codes": can_issue_signup_codes(request.user)}
    return render(request, "people/my_grid_building.html", context)


def _staff_sections(scope: Scope, grid: Grid) -> list[dict]:
    """The grid's posts under 一格一干 多专多群: names public, phones and ID numbers masked."""
    posts = post_list(scope).filter(grid=grid).select_related("person", "duty").order_by("duty__order", "pk")
    by_role = defaultdict(list)
    for post in posts:
        by_role[post.role].append(
            {
                **shown_person(post.person, public_role=True),
                "post": post.duty.name if post.duty else post.get_role_display(),
                "new_employment": bool(post.duty and post.duty.new_employment),
            }
        )
    return [
        {"title": title, "subtitle": subtitle, "people": [p for role in roles for p in by_role[role]]}
        for title, subtitle, roles in STAFF_SECTIONS
    ]


def _organisations(scope: Scope, grid: Grid) -> list[dict]:
    organisations = party_organisation_list(scope).filter(grids=grid).select_related("secretary").prefetch_related("members")
    return [
        {
            "name": o.name,
            "kind": o.get_kind_display(),
            "secretary": shown_person(o.secretary, public_role=True)["name"] if o.secretary else "",
            "members": [shown_person(m, public_role=True)["name"] for m in o.members.all()],
        }
        for o in organisations.order_by("name")
    ]


def _map_data(grid: Grid, buildings: list[Building]) -> dict:
    """What my_grid.js draws: the outline, and the buildings (six decimals is about 0.1 m)."""
    return {
        "outline": grid.geometry,
        "buildings": [
            {
                "name": f"{b.compound}{b.name}",
                "lon": round(b.lon, 6),
                "lat": round(b.lat, 6),
                "households": b.households,
                "url": reverse("my-grid-building", args=[b.pk]),
            }
            for b in buildings
        ],
    }
