"""Local refinement: move boundary cells between neighbouring parts.

First every part is brought within the bounds (a move that lowers the total violation, else a
move towards the nearest part with room, keeping the best state seen); then cells move where
that raises the parts' Polsby-Popper scores or takes a barrier out of a part. Perimeters come
from cell perimeters minus twice the borders shared inside the part, so no polygon is built.
Every move keeps the losing part connected (the gaining part stays connected by adjacency).
"""

import math
from collections import deque

from .graph import Graph, connected_without
from .model import Bounds

_BARRIER_PENALTY = 1.0  # Polsby-Popper points per part-width of barrier inside a part


def violation(weight: int, bounds: Bounds) -> int:
    return max(0, bounds.min - weight) + max(0, weight - bounds.max)


def polsby_popper(area: float, perimeter: float) -> float:
    return 4 * math.pi * area / perimeter**2 if perimeter > 0 else 0.0


class Parts:
    """A labelling of some cells of a graph into parts, with running totals per part."""

    def __init__(self, g: Graph, labels: dict[int, int]):
        self.g = g
        self.label = dict(labels)
        self.members: dict[int, set[int]] = {}
        for v, p in sorted(self.label.items()):
            self.members.setdefault(p, set()).add(v)
        self.weight = {p: sum(g.weight[v] for v in m) for p, m in self.members.items()}
        self.area = {p: sum(g.area[v] for v in m) for p, m in self.members.items()}
        self.perimeter = {p: self._perimeter(m) for p, m in self.members.items()}
        self.barrier = {p: self._inner_barrier(m) for p, m in self.members.items()}

    def _perimeter(self, members: set[int]) -> float:
        g = self.g
        inner = sum(length for v in members for u, length, _ in g.adj[v] if u in members)
        return sum(g.perimeter[v] for v in members) - inner  # each inner border counted twice

    def _inner_barrier(self, members: set[int]) -> float:
        g = self.g
        return sum(b for v in members for u, _, b in g.adj[v] if u in members) / 2

    def links(self, v: int) -> dict[int, tuple[float, float]]:
        found: dict[int, tuple[float, float]] = {}
        for u, length, barrier in self.g.adj[v]:
            p = self.label.get(u)
            if p is not None:
                old = found.get(p, (0.0, 0.0))
                found[p] = (old[0] + length, old[1] + barrier)
        return found

    def move_effect(self, v: int, q: int, links) -> tuple[float, float, float, float]:
        """New perimeters and inner barrier lengths of v's part and of q after moving v."""
        g, p = self.g, self.label[v]
        lp, bp = links.get(p, (0.0, 0.0))
        lq, bq = links.get(q, (0.0, 0.0))
        return (
            self.perimeter[p] - g.perimeter[v] + 2 * lp,
            self.perimeter[q] + g.perimeter[v] - 2 * lq,
            self.barrier[p] - bp,
            self.barrier[q] + bq,
        )

    def move(self, v: int, q: int, links=None) -> None:
        links = self.links(v) if links is None else links
        per_p, per_q, bar_p, bar_q = self.move_effect(v, q, links)
        p, g = self.label[v], self.g
        self.perimeter[p], self.perimeter[q], self.barrier[p], self.barrier[q] = per_p, per_q, bar_p, bar_q
        self.members[p].discard(v)
        self.members[q].add(v)
        self.weight[p] -= g.weight[v]
        self.weight[q] += g.weight[v]
        self.area[p] -= g.area[v]
        self.area[q] += g.area[v]
        self.label[v] = q

    def neighbours(self, p: int) -> list[int]:
        found = {self.label.get(u) for v in self.members[p] for u, _, _ in self.g.adj[v]}
        return sorted(q for q in found if q is not None and q != p)

    def total_violation(self, bounds: Bounds) -> int:
        return sum(violation(w, bounds) for w in self.weight.values())


def _distances(parts: Parts, sources: list[int]) -> dict[int, int]:
    dist = {p: 0 for p in sources}
    queue = deque(sorted(sources))
    while queue:
        p = queue.popleft()
        for q in parts.neighbours(p):
            if q not in dist:
                dist[q] = dist[p] + 1
                queue.append(q)
    return dist


def _moves_for(parts: Parts, p: int, bounds: Bounds):
    """Candidate (cell, from, to) moves that relieve part p: out of it if heavy, into it if light."""
    heavy = parts.weight[p] > bounds.max
    if heavy:
        for v in sorted(parts.members[p]):
            for q in parts.links(v):
                if q != p:
                    yield v, p, q
    else:
        for q in parts.neighbours(p):
            for v in sorted(parts.members[q]):
                if p in parts.links(v):
                    yield v, q, p


def _best_move(parts: Parts, p: int, bounds: Bounds, dist: dict[int, int] | None, tabu: set[int]):
    g, found = parts.g, []
    for v, src, dst in _moves_for(parts, p, bounds):
        if v in tabu:
            continue
        w = g.weight[v]
        before = violation(parts.weight[src], bounds) + violation(parts.weight[dst], bounds)
        after = violation(parts.weight[src] - w, bounds) + violation(parts.weight[dst] + w, bounds)
        if dist is None:
            if after >= before:
                continue
        else:
            other = dst if src == p else src
            if dist.get(other, 1 << 30) >= dist.get(p, 1 << 30):
                continue
        found.append((after - before, abs(violation(parts.weight[p] - (w if src == p else -w), bounds)), v, src, dst))
    found.sort()
    for _, _, v, src, dst in found:
        if connected_without(g, parts.members[src], v):
            return v, dst
    return None


def fix_bounds(parts: Parts, bounds: Bounds, rounds: int) -> Parts:
    """Bring parts within the bounds; returns the best labelling found."""
    best_violation, best = parts.total_violation(bounds), dict(parts.label)
    stuck: set[int] = set()
    recent: deque[int] = deque(maxlen=8)  # cells moved lately may not move back at once
    for _ in range(rounds):
        bad = sorted((p for p in parts.weight if violation(parts.weight[p], bounds) and p not in stuck),
                     key=lambda p: (-violation(parts.weight[p], bounds), p))
        if not bad:
            break
        p = bad[0]
        tabu = set(recent)
        choice = _best_move(parts, p, bounds, None, tabu)
        if choice is None:
            heavy = parts.weight[p] > bounds.max
            sources = [q for q, w in parts.weight.items() if (w < bounds.max if heavy else w > bounds.min)]
            choice = _best_move(parts, p, bounds, _distances(parts, sources), tabu)
        if choice is None:
            stuck.add(p)
            continue
        parts.move(choice[0], choice[1])
        recent.append(choice[0])
        total = parts.total_violation(bounds)
        if total < best_violation:
            best_violation, best = total, dict(parts.label)
            stuck.clear()
        if total == 0:
            break
    return parts if parts.total_violation(bounds) == best_violation else Parts(parts.g, best)


def _gain(parts: Parts, v: int, q: int, links, scale: float) -> float:
    p = parts.label[v]
    g = parts.g
    per_p, per_q, bar_p, bar_q = parts.move_effect(v, q, links)
    before = polsby_popper(parts.area[p], parts.perimeter[p]) + polsby_popper(parts.area[q], parts.perimeter[q])
    after = polsby_popper(parts.area[p] - g.area[v], per_p) + polsby_popper(parts.area[q] + g.area[v], per_q)
    barrier = (bar_p + bar_q - parts.barrier[p] - parts.barrier[q]) / scale
    return after - before - _BARRIER_PENALTY * barrier


def improve_shapes(parts: Parts, bounds: Bounds, passes: int = 4) -> None:
    """Greedy boundary moves that raise compactness, within the bounds and keeping contiguity."""
    g = parts.g
    if len(parts.members) < 2:
        return
    scale = math.sqrt(max(sum(parts.area.values()) / len(parts.members), 1.0))
    for _ in range(passes):
        moved = 0
        for v in sorted(parts.label):
            p = parts.label[v]
            links = parts.links(v)
            if len(links) < 2:
                continue
            w = g.weight[v]
            ok_p = violation(parts.weight[p] - w, bounds) <= violation(parts.weight[p], bounds)
            if not ok_p:
                continue
            best, best_gain = None, 1e-6
            for q in sorted(links):
                if q == p or violation(parts.weight[q] + w, bounds) > violation(parts.weight[q], bounds):
                    continue
                gain = _gain(parts, v, q, links, scale)
                if gain > best_gain:
                    best, best_gain = q, gain
            if best is not None and connected_without(g, parts.members[p], v):
                parts.move(v, best, links)
                moved += 1
        if not moved:
            break
