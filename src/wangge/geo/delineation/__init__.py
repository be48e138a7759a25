"""Grid delineation engine: level-3 grids drawn from buildings, communities and barriers.

A pure library (no Django, no database). Everything it takes and returns is longitude-latitude
(CGCS2000 / WGS84); it measures in metres (EPSG:4547) internally.

Interface::

    from wangge.geo.delineation import delineate, Options, Bounds, Existing
    result = delineate(buildings, communities, barriers=lines, existing=None,
                       options=Options(bounds=Bounds(300, 500), overrides={}, seed=0, repair=False),
                       progress=lambda done, total: ...)   # called once per community

- `model`: `Building`, `Community`, `Bounds`, `Options`, `Existing`, `Grid`, `Result`.
- `io`: `buildings_from_geojson`, `communities_from_geojson`, `barriers_from_geojson`,
  `existing_from_geojson` (FeatureCollection dicts in; ValueError with a Chinese message naming
  the row and field on bad input), `result_to_geojson`, `result_report` (deterministic dicts).
- `synthetic`: `synthetic_district(buildings, seed) -> (buildings, communities, barriers)`.

Guarantees of a `Result`:
- every grid lies in one community and is one Polygon (the only exception is a community piece
  without buildings and without a neighbour, which joins the nearest grid and is flagged);
- the grids of a community tile it exactly: they are unions of building cells (Voronoi cells of
  the buildings, clipped to the community and cut along barriers) that share vertices exactly;
- households per grid lie within the community's bounds wherever that is feasible; otherwise the
  grid carries `flag` (Chinese reason) and `Result.infeasible` lists it: a community or an isolated
  piece below the minimum (one grid), a single building above the maximum (its own grid), a
  community without buildings ("无楼栋", the whole community), buildings outside every community;
- `polsby_popper` (4 pi A / P^2 in metres) per grid; `crossings` lists, per barrier index, the
  metres of barrier inside the grid (crossings are penalised by the partition, not forbidden);
- with `existing`: codes are carried over by shared households and `moved_share` is the share of
  households whose grid code changed; `repair=True` keeps every existing grid that is within the
  bounds, contiguous and inside one community exactly as it was, reworks the others on their own
  and draws in their neighbours only when that is needed to meet the bounds;
- the same input and seed give the same output (`io` serialises it byte for byte the same).

New grid codes are the 12-digit community code and a 3-digit sequence in reading order (north to
south, west to east; `wangge.geo.codes.reading_order`), skipping codes already in use.
"""

from .engine import delineate
from .model import Bounds, Building, Community, Existing, Grid, Options, Result

__all__ = ["Bounds", "Building", "Community", "Existing", "Grid", "Options", "Result", "delineate"]
