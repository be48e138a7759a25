from datetime import datetime

from ninja import Schema


class LayerOut(Schema):
    id: int
    name: str
    is_active: bool
    source_crs: str
    created_at: datetime
    grids_by_level: dict[str, int]


class CreatedOut(Schema):
    id: int


class CoverageOut(Schema):
    seamless: bool
    gaps: list[dict]
    overlaps: list[dict]
    outside: list[dict]


class NotSeamlessOut(CoverageOut):
    detail: str


class DivisionOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
