"""Numbering rules for grid codes.

Level-3 grids are numbered within their community west to east, north to south: the grids
are put in rows from north to south (as many rows as the square root of their number), and
numbered west to east within each row.
"""

import math


def reading_order(centroids: list[tuple[float, float]]) -> list[int]:
    """Indices of `centroids` (lon, lat) in north-to-south rows, west to east in each row."""
    if not centroids:
        return []
    rows = max(1, round(math.sqrt(len(centroids))))
    north = max(lat for _, lat in centroids)
    south = min(lat for _, lat in centroids)
    band = (north - south) / rows or 1.0

    def key(i: int) -> tuple[int, float, float]:
        lon, lat = centroids[i]
        return (min(rows - 1, int((north - lat) / band)), lon, -lat)

    return sorted(range(len(centroids)), key=key)


def level3_code(community_code: str, sequence: int) -> str:
    return f"{community_code}{sequence:03d}"


def level3_name(community_name: str, sequence: int) -> str:
    """A level-3 grid's name: its community's, and its place among the community's grids in code order."""
    return f"{community_name}第{sequence}网格"


def level2_code(community_code: str) -> str:
    return f"{community_code}000"


def level1_code(subdistrict_code: str) -> str:
    return f"{subdistrict_code}000"
