"""Recursive balanced bisection of a connected set of cells into k connected parts.

Each split sweeps the cells along several directions; every prefix of a sweep is a candidate
whose cut length (and barrier length left uncut) comes from one difference array, so a split costs
a few numpy passes. Candidates are kept only when both sides can still be divided into parts
within the bounds; the cheapest connected one wins.
"""

import math

import numpy as np

from .graph import Graph, components
from .model import Bounds

_ANGLES = 8
_BARRIER_WEIGHT = 3.0  # a metre of barrier left inside a part costs as much as 3 m of cut
_MARGIN = 0.15  # inner parts of a split aim this far (share of the band) inside the bounds


def choose_k(total: int, bounds: Bounds) -> int | None:
    """Number of grids for `total` households, or None when no count fits the bounds."""
    kmin = max(1, math.ceil(total / bounds.max)) if bounds.max > 0 else 1
    kmax = total // bounds.min if bounds.min > 0 else max(kmin, total)
    if kmin > kmax:
        return None
    middle = (bounds.min + bounds.max) / 2 or 1
    return min(kmax, max(kmin, round(total / middle)))


def _weight(g: Graph, nodes) -> int:
    return sum(g.weight[v] for v in nodes)


def _range(k: int, bounds: Bounds, margin: float) -> tuple[float, float]:
    if k == 1:
        return bounds.min, bounds.max
    pad = margin * (bounds.max - bounds.min)
    return k * (bounds.min + pad), k * (bounds.max - pad)


def _connect(g: Graph, nodes: list[int], side_a: set[int]) -> tuple[list[int], list[int]] | None:
    """Both sides made connected: stray pieces of one side join the other."""
    a_parts = components(g, [v for v in nodes if v in side_a])
    if not a_parts:
        return None
    core = max(a_parts, key=lambda p: (_weight(g, p), -p[0]))
    a = set(core)
    b_parts = components(g, [v for v in nodes if v not in a])
    if not b_parts:
        return None
    core_b = max(b_parts, key=lambda p: (_weight(g, p), -p[0]))
    b = set(core_b)
    return sorted(v for v in nodes if v not in b), sorted(b)


def _candidates(g: Graph, nodes: list[int], k1: int, k2: int, bounds: Bounds, rng) -> tuple[list, tuple]:
    idx = np.asarray(nodes)
    local = np.full(g.n, -1)
    local[idx] = np.arange(len(idx))
    la, lb = local[g.edge_a], local[g.edge_b]
    keep = (la >= 0) & (lb >= 0)
    la, lb = la[keep], lb[keep]
    edge_cost = g.edge_len[keep] - (1 + _BARRIER_WEIGHT) * g.edge_barrier[keep]
    w = np.asarray(g.weight)[idx]
    total = int(w.sum())
    target = total * k1 / (k1 + k2)
    scale = float(np.sqrt(np.mean(np.asarray(g.area)[idx]) + 1.0)) / max(1.0, float(w.mean()))
    found = []
    for margin in (_MARGIN, 0.0):
        a1, b1 = _range(k1, bounds, margin)
        a2, b2 = _range(k2, bounds, margin)
        low, high = max(a1, total - b2), min(b1, total - a2)
        if low <= high:
            break
    else:
        low = high = target
    offset = rng.random() / _ANGLES
    for t in range(_ANGLES):
        theta = math.pi * (t / _ANGLES + offset)
        proj = g.cx[idx] * math.cos(theta) + g.cy[idx] * math.sin(theta)
        order = np.lexsort((idx, proj))
        pos = np.empty(len(idx), dtype=int)
        pos[order] = np.arange(len(idx))
        first, last = np.minimum(pos[la], pos[lb]), np.maximum(pos[la], pos[lb])
        diff = np.zeros(len(idx) + 1)
        np.add.at(diff, first + 1, edge_cost)
        np.add.at(diff, last + 1, -edge_cost)
        cut = np.cumsum(diff)[1 : len(idx)]  # cut of the prefix of size s = 1 .. n-1
        w1 = np.cumsum(w[order])[:-1]
        outside = np.maximum(low - w1, 0) + np.maximum(w1 - high, 0)
        cost = cut + scale * np.abs(w1 - target) * 0.25 + 1e6 * outside
        for s in np.argsort(cost, kind="stable")[:4]:
            found.append((float(cost[s]), t, int(s), order[: s + 1]))
    found.sort(key=lambda c: (c[0], c[1], c[2]))
    return [(c[0], set(idx[c[3]].tolist())) for c in found], (low, high)


def split(g: Graph, nodes: list[int], k1: int, k2: int, bounds: Bounds, rng) -> tuple[list[int], list[int]]:
    candidates, (low, high) = _candidates(g, nodes, k1, k2, bounds, rng)
    fallback = None
    for _, side_a in candidates[:12]:
        sides = _connect(g, nodes, side_a)
        if sides is None:
            continue
        w1 = _weight(g, sides[0])
        if low <= w1 <= high:
            return sides
        gap = min(abs(w1 - low), abs(w1 - high))
        if fallback is None or gap < fallback[0]:
            fallback = (gap, sides)
    if fallback is not None:
        return fallback[1]
    half = len(nodes) // 2  # degenerate geometry: any connected split will do
    return _connect(g, nodes, set(nodes[:half])) or (nodes[:1], nodes[1:])


def bisect(g: Graph, nodes: list[int], k: int, bounds: Bounds, rng) -> list[list[int]]:
    """`nodes` (connected) cut into `k` connected parts of roughly equal households."""
    if k <= 1 or len(nodes) <= 1:
        return [nodes]
    k1 = k // 2
    a, b = split(g, nodes, k1, k - k1, bounds, rng)
    if not a or not b:
        return [nodes]
    k1 = min(max(1, k1), len(a))
    return bisect(g, a, k1, bounds, rng) + bisect(g, b, min(k - k1, len(b)), bounds, rng)
