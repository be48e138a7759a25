"""Working from an existing level-3 layer: old grid of each cell, code matching, repair.

Codes are matched one to one by shared households, greedily from the largest overlap (ties by
code), so that as few households as possible change grid code. Repair keeps every existing grid
that is within the bounds, contiguous and inside its community, and reworks only the others and
their neighbours, starting from the old grids and moving as few cells as it can.
"""


from .graph import Graph, components
from .model import Bounds
from .partition import bisect, choose_k
from .refine import Parts, fix_bounds, violation


def cell_old_codes(cell_buildings: list[list[int]], old: list[str | None], households: list[int]) -> list[str | None]:
    """The old grid of each cell: the one holding most of its households (ties: lowest code)."""
    found = []
    for members in cell_buildings:
        tally: dict[str, int] = {}
        for i in members:
            if old[i] is not None:
                tally[old[i]] = tally.get(old[i], 0) + households[i] + 1
        found.append(min(tally, key=lambda c: (-tally[c], c)) if tally else None)
    return found


def match_codes(shared: dict[int, dict[str, int]], available: set[str]) -> dict[int, str]:
    """Part -> old code, one to one, largest shared households first."""
    pairs = sorted(
        ((hh, part, code) for part, by_code in shared.items() for code, hh in by_code.items() if code in available),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    taken_parts: set[int] = set()
    taken_codes: set[str] = set()
    result = {}
    for _, part, code in pairs:
        if part not in taken_parts and code not in taken_codes:
            result[part] = code
            taken_parts.add(part)
            taken_codes.add(code)
    return result


def _grid_cells(old: list[str | None]) -> dict[str, list[int]]:
    grids: dict[str, list[int]] = {}
    for v, code in enumerate(old):
        if code is not None:
            grids.setdefault(code, []).append(v)
    return grids


def _bad_grids(g: Graph, grids: dict[str, list[int]], bounds: Bounds, foreign: set[str]) -> set[str]:
    """Grids to rework: out of bounds (a lone over-large building excepted), split, or shared."""
    bad = set()
    for code, cells in grids.items():
        weight = sum(g.weight[v] for v in cells)
        lone_tower = len(cells) == 1 and weight > bounds.max
        if code in foreign or (violation(weight, bounds) and not lone_tower) or len(components(g, cells)) > 1:
            bad.add(code)
    return bad


def _neighbour_cells(g: Graph, cells: list[int], old: list[str | None], grids, exclude: set[str]) -> list[int]:
    touched = {old[u] for v in cells for u, _, _ in g.adj[v]} - {None} - exclude
    return sorted({v for code in touched for v in grids[code]})


def repair(g: Graph, old: list[str | None], bounds: Bounds, rng, foreign: set[str]) -> tuple[list[list[int]], dict[int, str]]:
    """Parts of the community and the codes of the parts kept exactly as they were.

    Bad grids (and cells without a grid) are reworked on their own first; only where that cannot
    meet the bounds are their neighbouring grids drawn in, and only then a fresh split is tried.
    """
    grids = _grid_cells(old)
    bad = _bad_grids(g, grids, bounds, foreign)
    start = [v for v, code in enumerate(old) if code is None or code in bad]
    done, failed = [], []
    for piece in components(g, start):
        parts, score = repair_component(g, piece, old, bounds, rng)
        if score and choose_k(sum(g.weight[v] for v in piece), bounds):
            fresh = fresh_parts(g, piece, bounds, rng)
            parts, score = min((parts, score), (fresh, _score(g, fresh, bounds)), key=lambda t: t[1])
        (failed if score else done).append((piece, parts, score))
    drawn: set[str] = set()
    if failed:
        cells = [v for piece, _, _ in failed for v in piece]
        extra = _neighbour_cells(g, cells, old, grids, bad)
        drawn = {old[v] for v in extra}
        for piece in components(g, cells + extra):
            parts, score = repair_component(g, piece, old, bounds, rng)
            if score and choose_k(sum(g.weight[v] for v in piece), bounds):
                fresh = fresh_parts(g, piece, bounds, rng)
                if _score(g, fresh, bounds) < score:
                    parts = fresh
            done.append((piece, parts, score))
    result, codes = [], {}
    for code in sorted(set(grids) - bad - drawn):
        codes[len(result)] = code
        result.append(sorted(grids[code]))
    for _, parts, _ in done:
        result.extend(parts)
    return result, codes


def _score(g: Graph, parts: list[list[int]], bounds: Bounds) -> int:
    return sum(violation(sum(g.weight[v] for v in p), bounds) for p in parts)


def _start_labels(g: Graph, nodes: list[int], old: list[str | None], bounds: Bounds, rng) -> list[list[int]]:
    """Starting parts for a repair component: old grids, split when too heavy, merged when light."""
    groups: dict[str | None, list[int]] = {}
    parts: list[list[int]] = []
    for v in nodes:
        if g.weight[v] > bounds.max:
            parts.append([v])  # an over-large building is a grid of its own
        else:
            groups.setdefault(old[v], []).append(v)
    for code in sorted(groups, key=lambda c: (c is None, c or "")):
        for piece in components(g, groups[code]):
            weight = sum(g.weight[v] for v in piece)
            k = choose_k(weight, bounds)
            parts.extend(bisect(g, piece, k, bounds, rng) if weight > bounds.max and k and k > 1 else [piece])
    label = {v: i for i, part in enumerate(parts) for v in part}
    state = Parts(g, label)
    # Light parts join their lightest neighbour when the sum fits.
    for p in sorted(state.members, key=lambda p: (state.weight[p], p)):
        if p not in state.members or not state.members[p] or state.weight[p] >= bounds.min:
            continue
        fits = [q for q in state.neighbours(p) if state.weight[q] + state.weight[p] <= bounds.max]
        if fits:
            q = min(fits, key=lambda q: (state.weight[q], q))
            for v in sorted(state.members[p]):
                state.move(v, q)
            del state.members[p], state.weight[p]
    return [sorted(m) for _, m in sorted(state.members.items()) if m]


def fresh_parts(g: Graph, nodes: list[int], bounds: Bounds, rng) -> list[list[int]]:
    from .engine import split_component  # the engine owns the fresh split and its retries

    k = choose_k(sum(g.weight[v] for v in nodes), bounds)
    return split_component(g, nodes, k, bounds, rng) if k else [nodes]


def repair_component(g: Graph, nodes: list[int], old: list[str | None], bounds: Bounds, rng) -> tuple[list[list[int]], int]:
    """Parts of one repair component and their total bound violation."""
    start = _start_labels(g, nodes, old, bounds, rng)
    state = fix_bounds(Parts(g, {v: i for i, part in enumerate(start) for v in part}), bounds, rounds=40 * len(start) + 40)
    parts = [sorted(m) for _, m in sorted(state.members.items()) if m]
    return parts, state.total_violation(bounds)
