"""Where the map meets the people on it, above both geo and people, so that geo imports neither.

- The layer switch: the delineation engine run on the platform's own buildings (`inputs`:
  `platform_inputs`, `platform_run`), the proposal saved as a new inactive layer (`save`:
  `proposal_save`), legacy layers mapped onto a new one (`mapping`: `legacy_mapping`), and staff,
  party and social organisations and grid workers' scopes carried over in the activation's own
  step (`reattach`: `reattach_plan` to review, `layer_switch` to activate as reviewed,
  `staff_follow` on every activation; people's rules for it in `moves`). Pages in
  `views`, subcommands in `cli`.
- `wangge grids`: geo's layer subcommands (`geo.cli`), the locator and the redraw subcommands.
- The grid answers that name who works each grid (`api`, `workers`): geo gives the grids and the
  locator's codes, people the full-time grid worker.
"""
