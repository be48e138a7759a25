"""The delineation run: communities one by one, cells, partition, refinement, grids."""

import time
from collections.abc import Callable

import numpy as np
import shapely

from ..codes import level3_code, reading_order
from ..geometry.transform import to_metric
from .cells import build_cells
from .graph import Graph, components, graph_from_cells
from .model import Bounds, Building, Community, Existing, Grid, Options, Result
from .partition import bisect, choose_k
from .refine import Parts, fix_bounds, improve_shapes, polsby_popper
from .sites import Sites, community_sites, locate
from .stability import cell_old_codes, match_codes, repair

_ATTEMPTS = 6


def split_component(g: Graph, nodes: list[int], k: int, bounds: Bounds, rng) -> list[list[int]]:
    """Best of a few bisection attempts (other k in the feasible range, other sweep angles)."""
    ks = [k] + [x for x in (k + 1, k - 1) if choose_k(sum(g.weight[v] for v in nodes), bounds) and
                x * bounds.min <= sum(g.weight[v] for v in nodes) <= x * bounds.max]
    best = None
    for attempt in range(_ATTEMPTS):
        parts = bisect(g, nodes, ks[attempt % len(ks)], bounds, rng)
        state = fix_bounds(Parts(g, {v: i for i, p in enumerate(parts) for v in p}), bounds, rounds=40 * len(parts) + 40)
        score = state.total_violation(bounds)
        if best is None or score < best[0]:
            best = (score, state)
        if score == 0:
            break
    state = best[1]
    improve_shapes(state, bounds)
    return [sorted(m) for _, m in sorted(state.members.items()) if m]


def _fresh(g: Graph, bounds: Bounds, rng, whole: bool) -> tuple[list[list[int]], dict[int, str]]:
    """Parts of a community's cells and the Chinese reason of each flagged part."""
    parts: list[list[int]] = []
    flags: dict[int, str] = {}
    big = [v for v in range(g.n) if g.weight[v] > bounds.max]
    for v in big:
        flags[len(parts)] = f"单栋楼 {g.weight[v]} 户，超过每格上限 {bounds.max} 户"
        parts.append([v])
    pieces = components(g, [v for v in range(g.n) if g.weight[v] <= bounds.max])
    for piece in pieces:
        households = sum(g.weight[v] for v in piece)
        k = choose_k(households, bounds)
        if k is None:
            if households < bounds.min and whole and len(pieces) == 1 and not big:
                flags[len(parts)] = f"社区共 {households} 户，少于每格下限 {bounds.min} 户"
            elif households < bounds.min:
                flags[len(parts)] = f"孤立片区共 {households} 户，少于每格下限 {bounds.min} 户"
            else:
                flags[len(parts)] = f"片区共 {households} 户，无法分为每格 {bounds.min}–{bounds.max} 户的网格"
            parts.append(piece)
            continue
        split = split_component(g, piece, k, bounds, rng)
        if (big or len(pieces) > 1) and k <= 3:
            # A small piece walled off by over-large buildings or the border: too lumpy to split.
            for part in split:
                weight = sum(g.weight[v] for v in part)
                if not bounds.min <= weight <= bounds.max:
                    flags[len(parts) + split.index(part)] = (
                        f"孤立片区共 {households} 户，无法连片分为每格 {bounds.min}–{bounds.max} 户的网格"
                    )
        parts.extend(split)
    return parts, flags


def _reason(households: int, bounds: Bounds, cells: int) -> str:
    if cells == 1 and households > bounds.max:
        return f"单栋楼 {households} 户，超过每格上限 {bounds.max} 户"
    return f"网格 {households} 户，超出每格 {bounds.min}–{bounds.max} 户的范围：未找到可行划分"


def _repair_reason(households: int, bounds: Bounds) -> str:
    # Repair may change only the grids out of bounds and their neighbours; within them the
    # bounds could not be met, though a fresh delineation of the community may meet them.
    return (f"网格 {households} 户，超出每格 {bounds.min}–{bounds.max} 户的范围：修复模式只调整越界网格及其相邻网格，"
            "在此范围内无法满足，可重新划分该社区")


class _Run:
    def __init__(self, buildings, communities, barriers, existing, options):
        self.buildings = buildings
        self.communities = sorted(communities, key=lambda c: c.code)
        self.barriers = list(barriers or [])
        self.options = options
        self.infeasible: list[dict] = []
        self.old: list[str | None] = [None] * len(buildings)
        self.foreign: set[str] = set()
        self.existing = existing
        if existing is not None:
            grids = sorted(existing.grids, key=lambda t: t[0])
            points = shapely.points([b.lon for b in buildings], [b.lat for b in buildings])
            found = locate(points, [geom for _, geom in grids])
            self.old = [grids[i][0] if i >= 0 else None for i in found.tolist()]
        self.barrier_tree = shapely.STRtree(self.barriers) if self.barriers else None

    def community_barriers(self, community: Community) -> tuple[list, list[int]]:
        if self.barrier_tree is None:
            return [], []
        ids = sorted(self.barrier_tree.query(community.geometry, predicate="intersects").tolist())
        return [self.barriers[i] for i in ids], ids

    def empty_grid(self, community: Community) -> Grid:
        self.infeasible.append({"community": community.code, "reason": "无楼栋", "households": 0})
        code = level3_code(community.code, 1)
        if self.existing is not None:
            point = shapely.point_on_surface(community.geometry)
            hits = sorted(c for c, geom in self.existing.grids if c.startswith(community.code) and geom.covers(point))
            code = hits[0] if len(hits) == 1 and len(hits[0]) == 15 else code
        metric = to_metric(community.geometry)
        score = polsby_popper(metric.area, metric.length)
        return Grid(code, community.code, community.geometry, 0, 0, [], round(score, 6), [], False, "无楼栋")

    def grids_of(self, community: Community, sites: Sites, index: int) -> list[Grid]:
        if not sites.buildings:
            return [self.empty_grid(community)]
        options, bounds = self.options, self.options.bounds_for(community.code)
        rng = np.random.default_rng([options.seed, index])
        lines, ids = self.community_barriers(community)
        cells, cell_of_site = build_cells(sites.x, sites.y, sites.lon, sites.lat, community.geometry, lines, ids)
        cell_buildings: list[list[int]] = [[] for _ in range(len(cells.area))]
        for s, members in enumerate(sites.buildings):
            cell_buildings[cell_of_site[s]].extend(members)
        weight = np.array([sum(self.buildings[i].households for i in m) for m in cell_buildings])
        g = graph_from_cells(cells, weight)
        kept_codes: dict[int, str] = {}
        old = None
        if self.existing is not None:
            old = cell_old_codes(cell_buildings, self.old, [b.households for b in self.buildings])
            old = [c if c and c.startswith(community.code) and len(c) == 15 else None for c in old]
        if options.repair and old is not None:
            parts, kept_codes = repair(g, old, bounds, rng, self.foreign)
            flags = {p: _repair_reason(sum(g.weight[v] for v in members), bounds)
                     for p, members in enumerate(parts) if len(members) > 1 and p not in kept_codes
                     and not bounds.min <= sum(g.weight[v] for v in members) <= bounds.max}
        else:
            parts, flags = _fresh(g, bounds, rng, whole=True)
        return self.assemble(community, cells, g, cell_buildings, parts, flags, kept_codes, old, bounds)

    def assemble(self, community, cells, g, cell_buildings, parts, flags, kept_codes, old, bounds) -> list[Grid]:
        label = {v: p for p, members in enumerate(parts) for v in members}
        state = Parts(g, label)
        part_of_face = np.array([label[c] for c in cells.face_cell.tolist()])
        order = np.argsort(part_of_face, kind="stable")
        cuts = np.searchsorted(part_of_face[order], np.arange(len(parts) + 1))
        grids = []
        for p, members in enumerate(parts):
            faces = cells.faces[order[cuts[p] : cuts[p + 1]]]
            geometry = shapely.coverage_union_all(faces)
            if geometry.geom_type != "Polygon":
                geometry = shapely.union_all(faces)
            ids = sorted(self.buildings[i].id for v in members for i in cell_buildings[v])
            households = sum(g.weight[v] for v in members)
            population = sum(self.buildings[i].population for v in members for i in cell_buildings[v])
            flag = flags.get(p, "")
            if any(cells.exclave[v] for v in members) and geometry.geom_type != "Polygon":
                flag = (flag + "；" if flag else "") + "含无楼栋的飞地，网格不连通"
            in_bounds = bounds.min <= households <= bounds.max
            if not in_bounds and not flag:
                flag = _reason(households, bounds, len(members))
            if flag:
                self.infeasible.append({"community": community.code, "reason": flag, "households": households})
            grids.append(Grid(
                kept_codes.get(p, ""), community.code, geometry, households, population, ids,
                round(polsby_popper(state.area[p], state.perimeter[p]), 6),
                _crossings(cells.barrier_detail, label, p), in_bounds, flag,
            ))
        self.name(community, grids, parts, cell_buildings, old, kept_codes)
        return grids

    def name(self, community, grids, parts, cell_buildings, old, kept_codes) -> None:
        """Codes: kept ones, then old codes matched by shared households, then new sequences."""
        taken = set(kept_codes.values())
        if old is not None:
            shared: dict[int, dict[str, int]] = {}
            for p, members in enumerate(parts):
                if p in kept_codes:
                    continue
                for v in members:
                    for i in cell_buildings[v]:
                        code = self.old[i]
                        if code and code.startswith(community.code) and len(code) == 15:
                            shared.setdefault(p, {})
                            shared[p][code] = shared[p].get(code, 0) + self.buildings[i].households + 1
            available = {c for by in shared.values() for c in by} - taken
            for p, code in match_codes(shared, available).items():
                grids[p].code = code
                taken.add(code)
        free = (level3_code(community.code, s) for s in range(1, 1000) if level3_code(community.code, s) not in taken)
        fresh = [p for p, grid in enumerate(grids) if not grid.code]
        centroids = [shapely.centroid(grids[p].geometry) for p in fresh]
        for i in reading_order([(c.x, c.y) for c in centroids]):
            grids[fresh[i]].code = next(free)


def _crossings(detail: dict, label: dict[int, int], p: int) -> list[dict]:
    lengths: dict[int, float] = {}
    for (a, b), by_barrier in detail.items():
        if label[a] == p and label[b] == p:
            for barrier, length in by_barrier.items():
                lengths[barrier] = lengths.get(barrier, 0.0) + length
    return [{"barrier": b, "length_m": round(m, 1)} for b, m in sorted(lengths.items()) if m >= 0.5]


def _moved_share(run: _Run, grids: list[Grid]) -> float | None:
    if run.existing is None:
        return None
    new = {bid: grid.code for grid in grids for bid in grid.buildings}
    total = sum(b.households for b in run.buildings)
    moved = sum(b.households for b, old in zip(run.buildings, run.old, strict=True) if new.get(b.id) != old)
    return round(moved / total, 6) if total else 0.0


def delineate(
    buildings: list[Building],
    communities: list[Community],
    *,
    barriers: list | None = None,
    existing: Existing | None = None,
    options: Options = Options(),  # noqa: B008 - frozen, never mutated
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Level-3 grids for the communities; see the package docstring for the contract."""
    started = time.perf_counter()
    run = _Run(buildings, communities, barriers, existing, options)
    sites, outside = community_sites(buildings, run.communities)
    if outside:
        run.infeasible.append({"community": "", "reason": "楼栋不在任何社区内", "buildings": sorted(buildings[i].id for i in outside)})
    if existing is not None:
        by_code: dict[str, set[int]] = {}
        for c, community_sites_ in enumerate(sites):
            for members in community_sites_.buildings:
                for i in members:
                    if run.old[i]:
                        by_code.setdefault(run.old[i], set()).add(c)
        run.foreign = {code for code, where in by_code.items() if len(where) > 1}
    grids: list[Grid] = []
    for index, community in enumerate(run.communities):
        grids.extend(run.grids_of(community, sites[index], index))
        if progress is not None:
            progress(index + 1, len(run.communities))
    within = sum(g.in_bounds for g in grids) / len(grids) if grids else 1.0
    return Result(grids, run.infeasible, _moved_share(run, grids), round(within, 6), time.perf_counter() - started)
