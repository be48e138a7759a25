"""Inputs and outputs of the delineation engine (longitude-latitude Shapely geometries)."""

from dataclasses import dataclass, field

import shapely


@dataclass(frozen=True)
class Building:
    id: str
    lon: float
    lat: float
    households: int
    population: int
    footprint: shapely.Polygon | None = None  # lon/lat; (lon, lat) is its representative point


@dataclass(frozen=True)
class Community:
    code: str  # 12-digit division code
    geometry: shapely.Polygon | shapely.MultiPolygon
    name: str = ""  # where the input gives one; grids are named after it


@dataclass(frozen=True)
class Bounds:
    min: int = 300
    max: int = 500


@dataclass(frozen=True)
class Options:
    bounds: Bounds = field(default_factory=Bounds)
    overrides: dict[str, Bounds] = field(default_factory=dict)  # community code -> bounds
    seed: int = 0
    repair: bool = False

    def bounds_for(self, community: str) -> Bounds:
        return self.overrides.get(community, self.bounds)


@dataclass(frozen=True)
class Existing:
    grids: list[tuple[str, shapely.Geometry]]  # (15-digit code, lon/lat geometry)


@dataclass
class Grid:
    code: str
    community: str
    geometry: shapely.Geometry  # lon/lat Polygon (a MultiPolygon only for a flagged exclave)
    households: int
    population: int
    buildings: list[str]
    polsby_popper: float
    crossings: list[dict]  # {"barrier": index, "length_m": float}
    in_bounds: bool
    flag: str = ""  # Chinese reason when the grid breaks a rule


@dataclass
class Result:
    grids: list[Grid]
    infeasible: list[dict]  # {"community": code or "", "reason": Chinese text, ...}
    moved_share: float | None
    within_bounds_share: float
    seconds: float
