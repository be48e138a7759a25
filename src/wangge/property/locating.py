"""Which compound a point lies in: inside a compound's boundary, or within 30 m of one of the
buildings it holds (a compound known only by its buildings). Set-based: any number of points
are answered with two queries and two vectorised lookups."""

import json

import numpy as np

from wangge.geo.geometry.nearby import NONE, containing, nearest_within

from .models import Compound, CompoundBuilding

NEAR_BUILDING_M = 30.0


def compounds_at(lon, lat, *, within: str = "") -> list[int | None]:
    """The id of the compound holding each point (a boundary first, then the nearest held
    building within `NEAR_BUILDING_M`), or None; `within` narrows the compounds looked at to
    a code prefix (the subdistrict of a case's grid, say)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    found: list[int | None] = [None] * len(lon)
    compounds = Compound.objects.filter(community__code__startswith=within)
    outlined = list(compounds.exclude(boundary="").order_by("pk").values_list("pk", "boundary"))
    inside = containing([json.loads(boundary) for _, boundary in outlined], lon, lat)
    for i, index in enumerate(inside):
        if index != NONE:
            found[i] = outlined[index][0]
    rest = [i for i, compound in enumerate(found) if compound is None]
    if rest:
        held = list(CompoundBuilding.objects.filter(compound__in=compounds).order_by("pk").values_list("compound_id", "building__lon", "building__lat"))
        sites = np.array([(x, y) for _, x, y in held], dtype=float).reshape(-1, 2)
        near = nearest_within(lon[rest], lat[rest], sites[:, 0], sites[:, 1], NEAR_BUILDING_M)
        for i, index in zip(rest, near, strict=True):
            if index != NONE:
                found[i] = held[index][0]
    return found


def compound_at(lon: float, lat: float, *, within: str = "") -> int | None:
    return compounds_at([lon], [lat], within=within)[0]
