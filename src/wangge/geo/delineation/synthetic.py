"""Synthetic districts for tests and benchmarks: jittered street blocks around Zhengzhou.

Streets form a jittered lattice; buildings stand in rows inside each block; communities are
rectangles of whole blocks bounded by street centre lines, so they tile the district, and their
rings carry every street crossing on their border so that neighbours share vertices exactly.
Some lattice lines are major roads (barriers): where a community split falls on one, the border
follows the road; elsewhere the road crosses communities.
"""

import numpy as np
import shapely

from ..geometry.transform import lonlat_points, metric_points
from .model import Building, Community

BLOCK_W, BLOCK_H = 160.0, 130.0
PER_BLOCK = 10  # buildings per block on average
ROAD_EVERY = 4  # every fourth lattice line is a major road
MIN_HH, MAX_HH = 2000, 8000


def _households(rng: np.random.Generator, count: int) -> np.ndarray:
    tall = rng.random(count) < 0.03
    return np.where(tall, rng.integers(200, 601, count), rng.integers(20, 81, count))


def _lattice(rng: np.random.Generator, cols: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    gx, gy = np.meshgrid(np.arange(cols + 1) * BLOCK_W, np.arange(rows + 1) * BLOCK_H)
    jitter = rng.uniform(-12, 12, (2, rows + 1, cols + 1))
    return gx + jitter[0], gy + jitter[1]


def _buildings_in_blocks(rng, gx, gy, count):
    rows, cols = gx.shape[0] - 1, gx.shape[1] - 1
    block = rng.permutation(np.arange(count) % (rows * cols))
    r, c = block // cols, block % cols
    # Positions inside the block's quadrilateral, away from the street (bilinear interpolation).
    u, v = rng.uniform(0.12, 0.88, count), rng.uniform(0.12, 0.88, count)
    u, v = np.round(u * 5) / 5 * 0.76 + 0.12 + rng.normal(0, 0.03, count), np.round(v * 4) / 4 * 0.76 + 0.12 + rng.normal(0, 0.03, count)
    u, v = np.clip(u, 0.08, 0.92), np.clip(v, 0.08, 0.92)

    def corner(a, dr, dc):
        return a[r + dr, c + dc]

    x = (1 - u) * (1 - v) * corner(gx, 0, 0) + u * (1 - v) * corner(gx, 0, 1) + (1 - u) * v * corner(gx, 1, 0) + u * v * corner(gx, 1, 1)
    y = (1 - u) * (1 - v) * corner(gy, 0, 0) + u * (1 - v) * corner(gy, 0, 1) + (1 - u) * v * corner(gy, 1, 0) + u * v * corner(gy, 1, 1)
    return r, c, x, y


def _split(block_hh: np.ndarray, r0: int, r1: int, c0: int, c1: int, out: list) -> None:
    """Cut the block rectangle [r0, r1) x [c0, c1) in two by households until each is small enough."""
    total = block_hh[r0:r1, c0:c1].sum()
    if total <= MAX_HH or (r1 - r0 == 1 and c1 - c0 == 1):
        out.append((r0, r1, c0, c1))
        return
    by_rows = (r1 - r0) >= (c1 - c0) if (r1 - r0 > 1 and c1 - c0 > 1) else (r1 - r0 > 1)
    sums = block_hh[r0:r1, c0:c1].sum(axis=1 if by_rows else 0)
    cut = int(np.argmin(np.abs(np.cumsum(sums)[:-1] - total / 2))) + 1
    if by_rows:
        _split(block_hh, r0, r0 + cut, c0, c1, out)
        _split(block_hh, r0 + cut, r1, c0, c1, out)
    else:
        _split(block_hh, r0, r1, c0, c0 + cut, out)
        _split(block_hh, r0, r1, c0 + cut, c1, out)


def _ring(gx, gy, r0, r1, c0, c1) -> np.ndarray:
    south = [(r0, c) for c in range(c0, c1 + 1)]
    east = [(r, c1) for r in range(r0 + 1, r1 + 1)]
    north = [(r1, c) for c in range(c1 - 1, c0 - 1, -1)]
    west = [(r, c0) for r in range(r1 - 1, r0 - 1, -1)]
    idx = np.array(south + east + north + west)
    return np.column_stack([gx[idx[:, 0], idx[:, 1]], gy[idx[:, 0], idx[:, 1]]])


def synthetic_district(buildings: int, seed: int) -> tuple[list[Building], list[Community], list]:
    """(buildings, communities, barriers) of a district of about `buildings` buildings."""
    rng = np.random.default_rng(seed)
    blocks = max(1, round(buildings / PER_BLOCK))
    cols = max(1, round(np.sqrt(blocks * BLOCK_H / BLOCK_W)))
    rows = max(1, -(-blocks // cols))
    gx, gy = _lattice(rng, cols, rows)
    r, c, x, y = _buildings_in_blocks(rng, gx, gy, buildings)
    households = _households(rng, buildings)
    population = np.round(households * rng.uniform(2.5, 3.0, buildings)).astype(int)
    block_hh = np.zeros((rows, cols))
    np.add.at(block_hh, (r, c), households)
    pieces: list = []
    _split(block_hh, 0, rows, 0, cols, pieces)
    x0, y0 = metric_points(113.68, 34.75)
    x0, y0 = float(x0) - cols * BLOCK_W / 2, float(y0) - rows * BLOCK_H / 2

    def lonlat(xy: np.ndarray) -> np.ndarray:
        lon, lat = lonlat_points(xy[:, 0] + x0, xy[:, 1] + y0)
        return np.column_stack([lon, lat])

    communities = []
    for i, (r0, r1, c0, c1) in enumerate(sorted(pieces)):
        code = f"410104{1 + i // 30:03d}{1 + i % 30:03d}"
        communities.append(Community(code, shapely.Polygon(lonlat(_ring(gx, gy, r0, r1, c0, c1)))))
    lon, lat = lonlat(np.column_stack([x, y])).T
    result = [
        Building(f"B{i:06d}", float(lon[i]), float(lat[i]), int(households[i]), int(population[i]))
        for i in range(buildings)
    ]
    barriers = [shapely.LineString(lonlat(np.column_stack([gx[:, j], gy[:, j]]))) for j in range(ROAD_EVERY // 2, cols, ROAD_EVERY)]
    barriers += [shapely.LineString(lonlat(np.column_stack([gx[i], gy[i]]))) for i in range(ROAD_EVERY // 2, rows, ROAD_EVERY)]
    return result, communities, barriers
