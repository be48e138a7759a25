"""Redrawing the net: the delineation engine run on the platform's own data, the proposal saved
as a new inactive layer, legacy layers mapped onto a new one, and staff re-attached.

- `inputs`: `platform_inputs(layer)` (buildings, communities, existing level-3 grids) and
  `platform_run(...)`, the one run the command line and the back-office page share.
- `save`: `proposal_save(...)`, a new inactive layer that `grid_layer_activate` accepts.
- `mapping`: `legacy_mapping(...)`, for each legacy grid the new grids it overlaps and the
  household share of each.
- `reattach`: `reattach_plan(...)` and `reattach_apply(...)`, posts, party and social
  organisations and grid workers' scopes moved onto the new layer in one reviewed step.
"""

from .inputs import RunOptions, existing_of_layer, platform_inputs, platform_run
from .mapping import legacy_grids_from_geojson, legacy_mapping, stored_grids
from .reattach import Plan, PlanStale, reattach_apply, reattach_plan
from .save import proposal_save

__all__ = [
    "Plan",
    "PlanStale",
    "RunOptions",
    "existing_of_layer",
    "legacy_grids_from_geojson",
    "legacy_mapping",
    "platform_inputs",
    "platform_run",
    "proposal_save",
    "reattach_apply",
    "reattach_plan",
    "stored_grids",
]
