"""Many points against a few outlines or sites at once: which outline holds each point, and
which site lies within some metres of it (a compound's boundary or its buildings)."""

import numpy as np
import shapely

from .transform import metric_points

NONE = -1


def containing(outlines: list[dict], lon, lat) -> np.ndarray:
    """For each point, the index of the first outline holding it (borders count), or NONE."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    found = np.full(len(lon), np.iinfo(np.int64).max, dtype=np.int64)
    if len(lon) and outlines:
        tree = shapely.STRtree(np.array([shapely.geometry.shape(o) for o in outlines], dtype=object))
        point_idx, outline_idx = tree.query(shapely.points(lon, lat), predicate="intersects")
        np.minimum.at(found, point_idx, outline_idx)
    found[found == np.iinfo(np.int64).max] = NONE
    return found


def nearest_within(lon, lat, site_lon, site_lat, metres: float) -> np.ndarray:
    """For each point, the index of the nearest site no farther than `metres`, or NONE."""
    found = np.full(len(np.asarray(lon)), NONE, dtype=np.int64)
    if not len(found) or not len(np.asarray(site_lon)):
        return found
    sites = shapely.points(*metric_points(site_lon, site_lat))
    points = shapely.points(*metric_points(lon, lat))
    point_idx, site_idx = shapely.STRtree(sites).query_nearest(points, max_distance=metres, all_matches=False)
    found[point_idx] = site_idx
    return found
