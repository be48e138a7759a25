"""Cutting a polygon into contiguous parts that tile it exactly (used by the demo district).

Seeds come from k-means over density-weighted samples, so that parts are smaller where people
live closer together; the parts are the seeds' Voronoi cells clipped to the polygon. Clipping
keeps the polygon's own vertices and neighbouring cells share their Voronoi edges vertex for
vertex, so the parts meet with no gap and no overlap by construction.
"""

import json
from collections.abc import Callable

import numpy as np
import shapely

from .transform import area_m2


def sample_points(polygon, count: int, rng: np.random.Generator, density: Callable | None = None) -> np.ndarray:
    """`count` random points inside `polygon`, thinned by `density(x, y)` in [0, 1]."""
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    found: list[np.ndarray] = []
    total = 0
    while total < count:
        x = rng.uniform(minx, maxx, count * 2)
        y = rng.uniform(miny, maxy, count * 2)
        keep = shapely.contains_xy(polygon, x, y)
        if density is not None:
            keep &= rng.uniform(0, 1, len(x)) < density(x, y)
        batch = np.column_stack([x[keep], y[keep]])
        found.append(batch)
        total += len(batch)
    return np.concatenate(found)[:count]


def kmeans_seeds(samples: np.ndarray, k: int, rng: np.random.Generator, *, xscale: float, iterations: int = 30) -> np.ndarray:
    """k seeds, each snapped to a sample so that it lies inside the polygon."""
    scaled = samples * np.array([xscale, 1.0])
    centers = scaled[rng.choice(len(scaled), size=k, replace=False)]
    for _ in range(iterations):
        distances = ((scaled[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        labels = distances.argmin(axis=1)
        for j in range(k):
            members = scaled[labels == j]
            if len(members):
                centers[j] = members.mean(axis=0)
    order = ((scaled[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).argsort(axis=0)
    chosen: list[int] = []
    for j in range(k):
        # Two seeds on one sample would give a degenerate Voronoi diagram: take the next nearest.
        chosen.append(next(int(i) for i in order[:, j] if int(i) not in chosen))
    return samples[chosen]


def _absorb_fragments(parts: list, seeds: np.ndarray) -> list:
    """Give each detached fragment of a clipped cell to the neighbour it shares most border with."""
    seeds_pts = shapely.points(seeds)
    for i, part in enumerate(parts):
        if part.geom_type != "MultiPolygon":
            continue
        pieces = list(shapely.get_parts(part))
        main = next((p for p in pieces if p.covers(seeds_pts[i])), max(pieces, key=lambda p: p.area))
        parts[i] = main
        for piece in pieces:
            if piece is main:
                continue
            shared = [
                shapely.length(shapely.intersection(piece.boundary, other.boundary)) if j != i else 0.0
                for j, other in enumerate(parts)
            ]
            j = int(np.argmax(shared))
            if shared[j] > 0:
                parts[j] = shapely.union(parts[j], piece)
            else:
                parts[i] = shapely.union(parts[i], piece)
    return parts


def voronoi_split(polygon, seeds: np.ndarray, *, xscale: float) -> list:
    """The polygon cut into one part per seed, in the seeds' order."""
    scale = np.array([xscale, 1.0])
    minx, miny, maxx, maxy = polygon.bounds
    frame = shapely.box(minx * xscale - 1, miny - 1, maxx * xscale + 1, maxy + 1)
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds * scale), extend_to=frame, ordered=True)
    cells = shapely.transform(np.array(shapely.get_parts(cells)), lambda c: c / scale)
    parts = list(shapely.intersection(cells, polygon))
    for _ in range(3):
        if not any(p.geom_type == "MultiPolygon" for p in parts):
            break
        parts = _absorb_fragments(parts, seeds)
    return parts


def centroids(geometries) -> np.ndarray:
    points = shapely.centroid(np.asarray(geometries, dtype=object))
    return np.column_stack([shapely.get_x(points), shapely.get_y(points)])


def split(outline: dict, parts: int, rng: np.random.Generator, *, density: Callable, samples: int = 4000) -> list[dict]:
    """A GeoJSON outline cut into `parts` contiguous GeoJSON polygons that tile it."""
    polygon = shapely.geometry.shape(outline)
    if parts == 1:
        return [outline]
    xscale = float(np.cos(np.radians(polygon.centroid.y)))
    points = sample_points(polygon, max(samples, parts * 50), rng, density)
    seeds = kmeans_seeds(points, parts, rng, xscale=xscale)
    return [json.loads(shapely.to_geojson(part)) for part in voronoi_split(polygon, seeds, xscale=xscale)]


def random_points(outline: dict, count: int, rng: np.random.Generator) -> np.ndarray:
    return sample_points(shapely.geometry.shape(outline), count, rng) if count else np.empty((0, 2))


def density_mass(outline: dict, density: Callable, rng: np.random.Generator, samples: int = 300) -> float:
    """Area in square metres times the mean density: how much of the population it should hold."""
    polygon = shapely.geometry.shape(outline)
    points = sample_points(polygon, samples, rng)
    return float(area_m2([polygon])[0] * density(points[:, 0], points[:, 1]).mean())
