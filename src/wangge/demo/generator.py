"""The deterministic demo district: a Guancheng-like district inside its real outline.

13 level-1 grids (12 subdistricts and one development zone), 138 communities as level-2
grids, 564 level-3 grids, seamless by construction; buildings with households and population;
and the people and organisations of `demo.people`. The same seed gives the same district, byte for byte. Later
parts of the platform add their share of the district here, so that every published figure
comes out of this generator.
"""

from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from wangge.geo import codes
from wangge.geo.geometry import partition, shapes

from . import names
from .people import DemoPeople, generate_people
from .shares import allocate

DISTRICT_CODE = "410104"
DISTRICT_NAME = "管城回族区"
LEVEL1 = 13
COMMUNITIES = 138
LEVEL3 = 564
# The old town in the north-west is dense; the south-east is still farmland and warehouses.
CORE = (113.685, 34.752)


def density(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    km_east = (lon - CORE[0]) * 91.4
    km_north = (lat - CORE[1]) * 110.9
    return 0.06 + 0.94 * np.exp(-(km_east**2 + km_north**2) / (2 * 5.0**2))


@dataclass
class DemoDistrict:
    divisions: list[dict] = field(default_factory=list)  # code, name, kind, parent, geometry
    grids: list[dict] = field(default_factory=list)  # GeoJSON features
    buildings: list[dict] = field(default_factory=list)
    people: DemoPeople = field(default_factory=DemoPeople)

    def feature_collection(self) -> dict:
        return {"type": "FeatureCollection", "features": self.grids}


def ordered(parts: list[dict]) -> list[dict]:
    return [parts[i] for i in codes.reading_order([shapes.centroid(p) for p in parts])]


def _feature(code: str, name: str, level: int, parent: str, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"code": code, "name": name, "level": level, "parent": parent}, "geometry": geometry}


def _level1(outline: dict, rng) -> list[tuple[str, str, str, dict]]:
    """(code, name, kind, outline) of the 12 subdistricts and the zone."""
    parts = ordered(partition.split(outline, LEVEL1, rng, density=density, samples=20000))
    remoteness = [float(-density(*map(np.array, shapes.centroid(p)))) for p in parts]
    zone = int(np.argmax(remoteness))
    by_nearness = iter(names.SUBDISTRICTS)
    order = sorted((i for i in range(LEVEL1) if i != zone), key=lambda i: remoteness[i])
    named = {i: next(by_nearness) for i in order}
    result, sequence = [], 0
    for i, part in enumerate(parts):
        if i == zone:
            result.append((f"{DISTRICT_CODE}400000", names.ZONE, "zone", part))
        else:
            sequence += 1
            result.append((f"{DISTRICT_CODE}{sequence:03d}000", named[i], "subdistrict", part))
    return result


def _buildings(grid_code: str, address_prefix: str, compound: str, outline: dict, rng) -> list[dict]:
    target = int(rng.integers(300, 501))
    sizes: list[int] = []
    while sum(sizes) < target:
        left = target - sum(sizes)
        size = int(rng.integers(120, 301)) if rng.random() < 0.15 else int(rng.integers(20, 81))
        sizes.append(left if left - size < 20 else size)
    points = partition.random_points(outline, len(sizes), rng)
    return [
        {
            "grid_code": grid_code,
            "community_code": grid_code[:12],
            "compound": compound,
            "name": f"{n}号楼",
            "address": f"{address_prefix}{compound}{n}号楼",
            "lon": round(float(x), 7),
            "lat": round(float(y), 7),
            "households": size,
            "population": int(round(size * rng.uniform(2.3, 3.1))),
        }
        for n, (size, (x, y)) in enumerate(zip(sizes, points, strict=True), start=1)
    ]


def generate(seed: int = 410104) -> DemoDistrict:
    rng = np.random.default_rng(seed)
    outline = shapes.read_outline(resources.files("wangge.geo") / "data" / "guancheng-410104.geojson", crs="gcj02")
    demo = DemoDistrict()
    demo.divisions.append({"code": f"{DISTRICT_CODE}000000", "name": DISTRICT_NAME, "kind": "district", "parent": "", "geometry": outline})
    level1 = _level1(outline, rng)
    masses = [partition.density_mass(part, density, rng) for *_, part in level1]
    per_level1 = allocate(COMMUNITIES, masses, minimum=6)
    community_names = iter(names.community_names(COMMUNITIES))
    communities = []
    for (code, name, kind, part), count in zip(level1, per_level1, strict=True):
        demo.divisions.append({"code": code, "name": name, "kind": kind, "parent": f"{DISTRICT_CODE}000000", "geometry": None})
        demo.grids.append(_feature(codes.level1_code(code), name, 1, "", part))
        for n, piece in enumerate(ordered(partition.split(part, count, rng, density=density)), start=1):
            community = {"code": f"{code[:9]}{n:03d}", "name": next(community_names), "parent": code, "outline": piece, "subdistrict": name}
            communities.append(community)
    # Every community has four level-3 grids; the most populous ones have five.
    masses = [partition.density_mass(c["outline"], density, rng) for c in communities]
    five = set(np.argsort(masses, kind="stable")[::-1][: LEVEL3 - 4 * len(communities)].tolist())
    for i, c in enumerate(communities):
        demo.divisions.append({"code": c["code"], "name": c["name"], "kind": "community", "parent": c["parent"], "geometry": c["outline"]})
        level2 = codes.level2_code(c["code"])
        demo.grids.append(_feature(level2, c["name"], 2, codes.level1_code(c["parent"]), c["outline"]))
        for n, piece in enumerate(ordered(partition.split(c["outline"], 5 if i in five else 4, rng, density=density, samples=800)), start=1):
            code = codes.level3_code(c["code"], n)
            demo.grids.append(_feature(code, codes.level3_name(c["name"], n), 3, level2, piece))
            compound = f"{c['name'].removesuffix('社区')}{n}号院"
            demo.buildings.extend(_buildings(code, f"{DISTRICT_NAME}{c['subdistrict']}{c['name']}", compound, piece, rng))
    grid_names = {f["properties"]["code"]: f["properties"]["name"] for f in demo.grids if f["properties"]["level"] == 3}
    community_names = {c["code"]: c["name"] for c in communities}
    demo.people = generate_people(buildings=demo.buildings, grid_names=grid_names, community_names=community_names, seed=seed)
    return demo
