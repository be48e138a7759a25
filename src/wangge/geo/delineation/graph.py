"""The cell adjacency graph of one community, with the measures the partition works on."""

from collections import deque
from dataclasses import dataclass

import numpy as np

from .cells import Cells


@dataclass
class Graph:
    n: int
    weight: list[int]  # households per cell
    area: list[float]  # square metres
    perimeter: list[float]  # metres
    cx: np.ndarray
    cy: np.ndarray
    adj: list[list[tuple[int, float, float]]]  # (neighbour, shared metres, metres on a barrier)
    edge_a: np.ndarray
    edge_b: np.ndarray
    edge_len: np.ndarray
    edge_barrier: np.ndarray


def graph_from_cells(cells: Cells, weight: np.ndarray) -> Graph:
    n = len(cells.area)
    adj: list[list] = [[] for _ in range(n)]
    for a, b, length, barrier in zip(cells.edge_a.tolist(), cells.edge_b.tolist(), cells.edge_len.tolist(), cells.edge_barrier.tolist(), strict=True):
        adj[a].append((b, length, barrier))
        adj[b].append((a, length, barrier))
    return Graph(
        n, [int(x) for x in weight], cells.area.tolist(), cells.perimeter.tolist(), cells.cx, cells.cy,
        adj, cells.edge_a, cells.edge_b, cells.edge_len, cells.edge_barrier,
    )


def components(g: Graph, nodes: list[int]) -> list[list[int]]:
    """Connected components of the subgraph on `nodes`, each sorted, in order of their first node."""
    inside = set(nodes)
    seen: set[int] = set()
    found = []
    for start in sorted(nodes):
        if start in seen:
            continue
        seen.add(start)
        part, queue = [start], deque([start])
        while queue:
            v = queue.popleft()
            for u, _, _ in g.adj[v]:
                if u in inside and u not in seen:
                    seen.add(u)
                    part.append(u)
                    queue.append(u)
        found.append(sorted(part))
    return found


def connected_without(g: Graph, members: set[int], removed: int) -> bool:
    """Whether `members` minus `removed` is still connected (and not empty)."""
    if len(members) <= 1:
        return False
    start = next((u for u, _, _ in g.adj[removed] if u in members), None)
    if start is None:
        return False
    seen = {start, removed}
    stack = [start]
    while stack:
        v = stack.pop()
        for u, _, _ in g.adj[v]:
            if u in members and u not in seen:
                seen.add(u)
                stack.append(u)
    return len(seen) == len(members)
