"""Who works a grid, added to the net's answers: geo places points and lists grids by code,
people knows each level-3 grid's full-time grid worker (the name on the grid's notice board)."""

from wangge.people.selectors.staff import cadre_names


def with_grid_workers(places: list[dict | None]) -> list[dict | None]:
    """The locator's answers, each with `grid_worker`: the name, or None for an unstaffed grid."""
    workers = cadre_names({place["grids"]["3"] for place in places if place})
    return [None if place is None else {**place, "grid_worker": workers.get(place["grids"]["3"])} for place in places]
