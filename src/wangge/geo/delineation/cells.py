"""Building cells: the Voronoi cells of a community's sites, clipped to it and cut by barriers.

The Voronoi edges (computed in metres), the community's own boundary and the barrier lines are
noded together and polygonised once. Every face is a piece of one Voronoi cell inside the
community, and neighbouring faces are built from the same noded segments, so they share their
vertices exactly: cells (and later grids, as unions of cells) tile the community with no gap and
no overlap. A face cut off from its site (by a concave border or a barrier) goes to the
neighbouring cell it shares the longest border with, preferring borders that are not barriers.
"""

from dataclasses import dataclass, field

import numpy as np
import shapely

from ..geometry.transform import from_metric, metric_points

_ON_BARRIER_DEG = 1e-9  # a segment whose midpoint is this close to a barrier lies on it


@dataclass
class Cells:
    """A community's cells (one per site) and their adjacency, measured in metres."""

    faces: np.ndarray  # lon/lat polygons tiling the community
    face_cell: np.ndarray  # cell index of each face
    area: np.ndarray
    perimeter: np.ndarray
    cx: np.ndarray
    cy: np.ndarray
    # Undirected edges a < b: shared border length and the part of it lying on a barrier.
    edge_a: np.ndarray
    edge_b: np.ndarray
    edge_len: np.ndarray
    edge_barrier: np.ndarray
    barrier_detail: dict = field(default_factory=dict)  # (a, b) -> {barrier index: metres}
    exclave: np.ndarray | None = None  # cells holding a face not connected to their site


def _voronoi_edges(sx: np.ndarray, sy: np.ndarray, community_m) -> shapely.Geometry:
    if len(sx) < 2:
        return shapely.MultiLineString([])
    minx, miny, maxx, maxy = community_m.bounds
    pad = max(maxx - minx, maxy - miny) + 100.0
    envelope = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    return shapely.voronoi_polygons(shapely.multipoints(np.column_stack([sx, sy])), extend_to=envelope, only_edges=True)


def _faces(edges_ll, community, barriers: list) -> np.ndarray:
    minx, miny, maxx, maxy = community.bounds
    lines = [edges_ll, shapely.boundary(community)]
    lines += [shapely.clip_by_rect(b, minx, miny, maxx, maxy) for b in barriers]
    lines = [g for g in lines if not g.is_empty]
    try:
        noded = shapely.union_all(lines)
    except shapely.errors.GEOSException:
        noded = shapely.union_all(lines, grid_size=1e-11)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 0]
    inside = shapely.contains(community, shapely.point_on_surface(faces))
    return faces[inside]


def _segments(faces: np.ndarray):
    """Every boundary segment: owning face, lon/lat endpoints and metric endpoints."""
    rings, ring_face = shapely.get_rings(faces, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    mx, my = metric_points(coords[:, 0], coords[:, 1])
    same = ring_of[1:] == ring_of[:-1]
    start = np.flatnonzero(same)
    seg_face = ring_face[ring_of[start]]
    p, q = coords[start], coords[start + 1]
    length = np.hypot(mx[start + 1] - mx[start], my[start + 1] - my[start])
    # Signed shoelace terms give each face's metric area (holes wind the other way).
    cross = mx[start] * my[start + 1] - mx[start + 1] * my[start]
    ring_area = np.zeros(len(rings))
    np.add.at(ring_area, ring_of[start], cross / 2)
    first = np.r_[True, ring_face[1:] != ring_face[:-1]]
    face_area = np.zeros(len(faces))
    np.add.at(face_area, ring_face, np.where(first, np.abs(ring_area), -np.abs(ring_area)))
    face_perimeter = np.bincount(seg_face, weights=length, minlength=len(faces))
    return seg_face, p, q, length, face_area, face_perimeter


def _shared(seg_face, p, q, length):
    """Pairs of faces sharing a segment (each shared segment appears once per side)."""
    swap = (p[:, 0] > q[:, 0]) | ((p[:, 0] == q[:, 0]) & (p[:, 1] > q[:, 1]))
    lo, hi = np.where(swap[:, None], q, p), np.where(swap[:, None], p, q)
    order = np.lexsort((hi[:, 1], hi[:, 0], lo[:, 1], lo[:, 0]))
    key = np.column_stack([lo, hi])[order]
    twin = np.flatnonzero((key[1:] == key[:-1]).all(axis=1))
    i, j = order[twin], order[twin + 1]
    fa, fb = seg_face[i], seg_face[j]
    keep = fa != fb
    i, fa, fb = i[keep], fa[keep], fb[keep]
    mid = (lo[i] + hi[i]) / 2
    return np.minimum(fa, fb), np.maximum(fa, fb), length[i], mid


def _barrier_of(mid: np.ndarray, barriers: list, barrier_ids: list[int]) -> np.ndarray:
    """Index of the barrier each midpoint lies on, or -1."""
    found = np.full(len(mid), -1)
    if not barriers or not len(mid):
        return found
    tree = shapely.STRtree(barriers)
    point_idx, line_idx = tree.query(shapely.points(mid), predicate="dwithin", distance=_ON_BARRIER_DEG)
    ids = np.asarray(barrier_ids)[line_idx]
    # Lowest barrier index first, so that the choice does not depend on the tree's order.
    order = np.lexsort((ids, point_idx))[::-1]
    found[point_idx[order]] = ids[order]
    return found


def _assign_strays(n_sites, face_site, main, fa, fb, flen, fbar, faces, site_ll):
    """Cell of every face: its site's for main faces, a neighbour's for stray parts."""
    face_cell = np.where(main, face_site, -1)
    neighbours: dict[int, list] = {}
    for a, b, length, barrier in zip(fa.tolist(), fb.tolist(), flen.tolist(), fbar.tolist(), strict=True):
        neighbours.setdefault(a, []).append((b, length, barrier >= 0))
        neighbours.setdefault(b, []).append((a, length, barrier >= 0))
    pending = sorted(np.flatnonzero(face_cell < 0).tolist())
    while pending:
        left = []
        for f in pending:
            score: dict[int, list] = {}
            for g, length, on_barrier in neighbours.get(f, []):
                cell = face_cell[g]
                if cell >= 0:
                    s = score.setdefault(int(cell), [0.0, 0.0])
                    s[0] += 0.0 if on_barrier else length
                    s[1] += length
            if score:
                face_cell[f] = max(sorted(score), key=lambda c: (score[c][0], score[c][1]))
            else:
                left.append(f)
        if len(left) == len(pending):
            break
        pending = left
    exclave = np.zeros(n_sites, dtype=bool)
    if pending:
        # A piece of the community with no site and no neighbour (an island): nearest cell.
        owned = np.flatnonzero(face_cell >= 0)
        tree = shapely.STRtree(faces[owned])
        for f in pending:
            nearest = owned[tree.query_nearest(faces[f])[0]]
            face_cell[f] = face_cell[nearest]
            exclave[face_cell[f]] = True
    return face_cell, exclave


def build_cells(sx, sy, slon, slat, community, barriers: list, barrier_ids: list[int]) -> tuple[Cells, np.ndarray]:
    """Cells of the sites (metric sx, sy; lon/lat slon, slat) inside `community`.

    Returns the cells and, for every site, the index of the cell that holds it: a site whose
    Voronoi piece vanished (numerically) joins the cell that covers its point.
    """
    n = len(sx)
    community_m = shapely.Polygon() if n < 2 else shapely.box(sx.min(), sy.min(), sx.max(), sy.max())
    if n >= 2:
        minx, miny, maxx, maxy = community.bounds
        bx, by = metric_points([minx, maxx, minx, maxx], [miny, miny, maxy, maxy])
        community_m = shapely.box(min(bx), min(by), max(bx), max(by)).union(community_m)
    edges_ll = from_metric(_voronoi_edges(sx, sy, community_m))
    shapely.prepare(community)
    faces = _faces(edges_ll, community, barriers)
    site_ll = shapely.points(slon, slat)
    rep = shapely.point_on_surface(faces)
    rx, ry = metric_points(shapely.get_x(rep), shapely.get_y(rep))
    site_tree = shapely.STRtree(shapely.points(sx, sy))
    face_site = site_tree.query_nearest(shapely.points(rx, ry))[1] if n > 1 else np.zeros(len(faces), dtype=int)
    seg_face, p, q, length, face_area, face_perimeter = _segments(faces)
    fa, fb, flen, mid = _shared(seg_face, p, q, length)
    fbar = _barrier_of(mid, barriers, barrier_ids)
    # Main face of each site: the one nearest to its point, then the largest.
    dist = shapely.distance(faces, site_ll[face_site])
    order = np.lexsort((np.arange(len(faces)), -face_area, dist, face_site))
    first = np.r_[True, face_site[order][1:] != face_site[order][:-1]]
    main = np.zeros(len(faces), dtype=bool)
    main[order[first]] = True
    face_cell, exclave = _assign_strays(n, face_site, main, fa, fb, flen, fbar, faces, site_ll)
    # Renumber cells densely (sites without a face are folded into the cell covering them).
    used = np.unique(face_cell)
    cell_of_site = np.full(n, -1)
    cell_of_site[used] = np.arange(len(used))
    orphans = np.flatnonzero(cell_of_site < 0)
    if len(orphans):
        face_tree = shapely.STRtree(faces)
        for s in orphans:
            cell_of_site[s] = cell_of_site[face_cell[face_tree.query_nearest(site_ll[s])[0]]]
    face_cell = cell_of_site[face_cell]
    return _measure(faces, face_cell, len(used), face_area, face_perimeter, fa, fb, flen, fbar, exclave[used]), cell_of_site


def _measure(faces, face_cell, m, face_area, face_perimeter, fa, fb, flen, fbar, exclave) -> Cells:
    area = np.bincount(face_cell, weights=face_area, minlength=m)
    centroid = shapely.centroid(faces)
    fx, fy = metric_points(shapely.get_x(centroid), shapely.get_y(centroid))
    safe = np.where(area > 0, area, 1.0)
    cx = np.bincount(face_cell, weights=fx * face_area, minlength=m) / safe
    cy = np.bincount(face_cell, weights=fy * face_area, minlength=m) / safe
    ca, cb = face_cell[fa], face_cell[fb]
    internal = ca == cb
    perimeter = np.bincount(face_cell, weights=face_perimeter, minlength=m)
    perimeter -= 2 * np.bincount(ca[internal], weights=flen[internal], minlength=m)
    a, b = np.minimum(ca, cb)[~internal], np.maximum(ca, cb)[~internal]
    length, barrier = flen[~internal], fbar[~internal]
    key = a * m + b
    uniq, inverse = np.unique(key, return_inverse=True)
    edge_len = np.bincount(inverse, weights=length)
    edge_barrier = np.bincount(inverse, weights=np.where(barrier >= 0, length, 0.0))
    detail: dict = {}
    for k, bi, ln in zip(inverse[barrier >= 0].tolist(), barrier[barrier >= 0].tolist(), length[barrier >= 0].tolist(), strict=True):
        pair = (int(uniq[k] // m), int(uniq[k] % m))
        detail.setdefault(pair, {})
        detail[pair][bi] = detail[pair].get(bi, 0.0) + ln
    return Cells(faces, face_cell, area, perimeter, cx, cy, uniq // m, uniq % m, edge_len, edge_barrier, detail, exclave)
