"""The matcher: the best assignment of resources to needs, as pure functions over arrays.

A need asks for `quantity` units of one kind of resource, with an urgency (1–5), a place and
the days and hours it wants; a resource serves some kinds with `capacity` units, on some days
and hours, at a place. A need may be served by several resources, a resource may serve several
needs. Matched units are maximised by urgency: maximise Σ urgency(i)·x(i,j) over the pairs
(i, j) that are compatible — the resource serves the need's kind, their days and their hours
overlap, and they are no farther apart than `max_distance` — with Σ_j x(i,j) ≤ quantity(i) and
Σ_i x(i,j) ≤ capacity(j). Among assignments of equal weight the one with the least total
distance wins.

The solver is a min-cost flow (OR-Tools' `SimpleMinCostFlow`, cost scaling, exact in integer
arithmetic): source → need (capacity: its quantity) → resource (each compatible pair: capacity
min(quantity, capacity)) → sink (capacity: the resource's capacity), plus a free source → sink
arc for what stays unmatched. A pair's cost is −urgency·K + distance in whole metres, with K
larger than any assignment's total distance, so the urgency weight is maximised exactly first
and the distance breaks ties, with no floating tolerance anywhere. A flow problem's optimum is
integral, so nothing is rounded. SciPy's HiGHS LP (`linprog`) states the same problem (the
bipartite incidence matrix is totally unimodular) and gave the same optimum, but its simplex
took 32 s for 30,000 × 30,000 and grows faster than linearly, where the flow solver matches
100,000 × 100,000 in about 20 s (`benchmarks/bench_matching.py`); expanding units into nodes for
`min_weight_full_bipartite_matching` multiplies the edges by quantity × capacity. The problem
is never built on all pairs: candidate pairs are found with SciPy's KD-tree
(`cKDTree.sparse_distance_matrix` up to `max_distance`), then filtered by kind and time.

Coordinates are metres in a projected system (the caller projects them: `geo.geometry`).
"""

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.spatial import cKDTree

ANY_DAY = 0b1111111
ALL_HOURS = (1 << 24) - 1


def day_mask(weekdays) -> int:
    """ISO weekdays (1–7) as a 7-bit mask; no day named means any day."""
    mask = 0
    for day in weekdays:
        mask |= 1 << (int(day) - 1)
    return mask or ANY_DAY


def hour_mask(start: int, end: int) -> int:
    """The hours [start, end) of a day as a 24-bit mask."""
    return sum(1 << h for h in range(max(0, start), min(24, end)))


def kind_mask(kinds, vocabulary) -> int:
    """Kinds (values of `vocabulary`, a sequence) as a bit mask of their positions."""
    return sum(1 << vocabulary.index(k) for k in set(kinds))


@dataclass
class Needs:
    kind: np.ndarray  # index of the kind asked for
    quantity: np.ndarray
    urgency: np.ndarray
    x: np.ndarray
    y: np.ndarray
    days: np.ndarray  # 7-bit mask
    hours: np.ndarray  # 24-bit mask

    def __len__(self) -> int:
        return len(self.kind)


@dataclass
class Resources:
    serves: np.ndarray  # bit mask of the kinds served
    capacity: np.ndarray
    x: np.ndarray
    y: np.ndarray
    days: np.ndarray
    hours: np.ndarray

    def __len__(self) -> int:
        return len(self.serves)


def needs_of(rows: list[dict]) -> Needs:
    """Needs from dicts with the fields' names (tests, small callers)."""
    return Needs(*(np.array([r[f] for r in rows], dtype=np.float64 if f in ("x", "y") else np.int64).reshape(-1)
                   for f in ("kind", "quantity", "urgency", "x", "y", "days", "hours")))


def resources_of(rows: list[dict]) -> Resources:
    return Resources(*(np.array([r[f] for r in rows], dtype=np.float64 if f in ("x", "y") else np.int64).reshape(-1)
                       for f in ("serves", "capacity", "x", "y", "days", "hours")))


@dataclass
class Pairs:
    """Pairs of (need index, resource index) with their distance in metres."""

    need: np.ndarray
    resource: np.ndarray
    distance: np.ndarray

    def __len__(self) -> int:
        return len(self.need)

    def take(self, keep: np.ndarray) -> "Pairs":
        return Pairs(self.need[keep], self.resource[keep], self.distance[keep])


@dataclass
class Matching:
    need: np.ndarray  # one row per matched pair
    resource: np.ndarray
    quantity: np.ndarray
    distance: np.ndarray
    weight: int  # Σ urgency × matched quantity


def nearby(needs: Needs, resources: Resources, max_distance: float) -> Pairs:
    """Every (need, resource) no farther apart than `max_distance`, found with a KD-tree."""
    if not len(needs) or not len(resources):
        return Pairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    found = cKDTree(np.column_stack([needs.x, needs.y])).sparse_distance_matrix(
        cKDTree(np.column_stack([resources.x, resources.y])), max_distance, output_type="ndarray")
    return Pairs(found["i"].astype(np.int64), found["j"].astype(np.int64), found["v"].astype(float))


def kind_fits(needs: Needs, resources: Resources, pairs: Pairs) -> np.ndarray:
    """Which pairs' resource serves the need's kind."""
    return (resources.serves[pairs.resource] >> needs.kind[pairs.need]) & 1 == 1


def compatible(needs: Needs, resources: Resources, pairs: Pairs) -> np.ndarray:
    """Which pairs are compatible in kind, days and hours."""
    i, j = pairs.need, pairs.resource
    return kind_fits(needs, resources, pairs) & (needs.days[i] & resources.days[j] != 0) & (needs.hours[i] & resources.hours[j] != 0)


def match(needs: Needs, resources: Resources, max_distance: float) -> Matching:
    """The assignment of maximal urgency-weighted quantity, ties broken by least distance."""
    pairs = nearby(needs, resources, max_distance)
    return solve(needs, resources, pairs.take(compatible(needs, resources, pairs)), max_distance)


def solve(needs: Needs, resources: Resources, pairs: Pairs, max_distance: float) -> Matching:
    """The min-cost flow over the given compatible pairs (see the module's docstring)."""
    if not len(pairs):
        return Matching(*(np.empty(0, np.int64),) * 3, np.empty(0), 0)
    # Nodes only for the needs and resources some pair names: the others add nothing.
    need_nodes, need_at = np.unique(pairs.need, return_inverse=True)
    resource_nodes, resource_at = np.unique(pairs.resource, return_inverse=True)
    n, r = len(need_nodes), len(resource_nodes)
    source, sink = n + r, n + r + 1
    demand = needs.quantity[need_nodes].astype(np.int64)
    metres = np.rint(pairs.distance).astype(np.int64)
    # K beats any total distance: each matched unit is no farther than max_distance.
    k = (int(np.ceil(max_distance)) + 1) * (int(demand.sum()) + 1)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n, source), need_at, n + np.arange(r), [source]]),
        np.concatenate([np.arange(n), n + resource_at, np.full(r, sink), [sink]]),
        np.concatenate([demand, np.minimum(needs.quantity[pairs.need], resources.capacity[pairs.resource]),
                        resources.capacity[resource_nodes], [demand.sum()]]).astype(np.int64),
        np.concatenate([np.zeros(n, np.int64), -needs.urgency[pairs.need].astype(np.int64) * k + metres, np.zeros(r + 1, np.int64)]),
    )
    supplies = np.zeros(n + r + 2, np.int64)
    supplies[source], supplies[sink] = demand.sum(), -demand.sum()
    flow.set_nodes_supplies(np.arange(n + r + 2), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"matching flow failed: {status}")
    x = flow.flows(np.arange(n, n + len(pairs)))
    used = x > 0
    chosen = pairs.take(used)
    return Matching(chosen.need, chosen.resource, x[used], chosen.distance, int((x * needs.urgency[pairs.need]).sum()))


def greedy(needs: Needs, resources: Resources, max_distance: float) -> Matching:
    """The baseline a fair would do by hand: the most urgent need first (earlier first among
    equals), each served by its nearest compatible resources while capacity lasts."""
    pairs = nearby(needs, resources, max_distance)
    pairs = pairs.take(compatible(needs, resources, pairs))
    order = np.lexsort((pairs.distance, pairs.need, -needs.urgency[pairs.need]))
    left_need, left = needs.quantity.copy(), resources.capacity.copy()
    x = np.zeros(len(pairs), np.int64)
    for e in order:
        i, j = pairs.need[e], pairs.resource[e]
        take = min(left_need[i], left[j])
        if take:
            x[e], left_need[i], left[j] = take, left_need[i] - take, left[j] - take
    used = x > 0
    chosen = pairs.take(used)
    return Matching(chosen.need, chosen.resource, x[used], chosen.distance, int((x * needs.urgency[pairs.need]).sum()))
