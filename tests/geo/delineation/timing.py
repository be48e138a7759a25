"""Hand-run timing check (not a test): `.venv/bin/python -m tests.geo.delineation.timing 20000 200000`."""

import sys
import time

import numpy as np

from wangge.geo.delineation import delineate
from wangge.geo.delineation.synthetic import synthetic_district


def main(sizes: list[int]) -> None:
    for size in sizes:
        buildings, communities, barriers = synthetic_district(size, 1)
        started = time.perf_counter()
        result = delineate(buildings, communities, barriers=barriers)
        seconds = time.perf_counter() - started
        lone = sum(1 for g in result.grids if g.flag.startswith("单栋楼"))
        feasible = [g for g in result.grids if not g.flag.startswith("单栋楼")]
        print(
            f"{size} buildings, {len(communities)} communities: {seconds:.1f} s, {len(result.grids)} grids, "
            f"within bounds {result.within_bounds_share:.4f} ({sum(g.in_bounds for g in feasible)}/{len(feasible)} "
            f"excluding {lone} lone over-large buildings), mean Polsby-Popper "
            f"{np.mean([g.polsby_popper for g in result.grids]):.3f}, "
            f"grids crossing a barrier {sum(bool(g.crossings) for g in result.grids)}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20000, 200000])
