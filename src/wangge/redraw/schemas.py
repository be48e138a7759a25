from ninja import Schema


class GridOut(Schema):
    id: int
    layer_id: int
    code: str
    name: str
    level: int
    parent_code: str | None
    community_code: str | None
    households: int
    population: int
    children: int
    grid_worker: str | None = None


class GridPatch(Schema):
    name: str


class LocateOut(Schema):
    subdistrict: str
    community: str
    grids: dict[str, str]
    grid_worker: str | None
