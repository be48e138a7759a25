from ninja import Field, Schema


class BuildingOut(Schema):
    id: int
    community_code: str = Field(..., alias="community.code")
    grid_code: str
    name: str
    address: str
    lon: float
    lat: float
    households: int
    population: int


class BuildingIn(Schema):
    community_code: str
    name: str
    address: str
    lon: float
    lat: float
    households: int = 0
    population: int = 0


class BuildingPatch(Schema):
    name: str | None = None
    address: str | None = None
    lon: float | None = None
    lat: float | None = None
    households: int | None = None
    population: int | None = None
