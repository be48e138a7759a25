"""What the cases API takes and gives."""

from datetime import datetime

from ninja import Field, Schema

from .models import MAX_DESCRIPTION


class CaseIn(Schema):
    client_id: str = Field("", max_length=64, description="客户端生成的编号：写下时生成，重发不变")
    category: str = Field(..., max_length=40, description="类别代码")
    description: str = Field(..., max_length=MAX_DESCRIPTION)
    lon: float | None = Field(None, description="经度；不填时按地址定位")
    lat: float | None = Field(None, description="纬度；不填时按地址定位")
    address: str = Field("", max_length=200, description="地址；不填经纬度时据此在楼栋登记中定位")


class GridAtOut(Schema):
    code: str = Field(description="三级网格编码")
    name: str = Field(description="网格名称")


class CaseOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    category: str
    category_name: str
    description: str
    lon: float
    lat: float
    address: str
    grid_code: str
    department: str | None
    instructions: str = Field(description="派遣时对承办部门的要求")
    reported_at: datetime
    status_since: datetime
    deadline_at: datetime | None
    closed_at: datetime | None
    rating: int | None
    merged: bool = Field(description="已作为重复上报合并到另一事件")
    duplicate_of: str | None = Field(description="合并到的事件编号；仅对可查看该事件的用户给出")


class DuplicateOut(Schema):
    id: int
    number: str
    status_label: str
    distance_m: float
    reported_at: datetime


class ReportOut(CaseOut):
    duplicates: list[DuplicateOut]
    follow_code: str  # 查询码: with the number, follows the case on the public portal (/follow)


class MoveOut(Schema):
    from_status: str
    to_status: str
    actor: str | None
    at: datetime
    reason: str


class PhotoOut(Schema):
    id: int
    case_id: int
    content_type: str
    size: int
    width: int
    height: int
    uploaded_at: datetime
    url: str
    stage: str = Field(description="before（处置前）或 after（处置后）")


class CaseDetailOut(CaseOut):
    timeline: list[MoveOut]
    photos: list[PhotoOut]


class TransitionIn(Schema):
    to: str = Field(..., max_length=12)
    reason: str = Field("", max_length=300)
    department: str | None = Field(None, max_length=40, description="派遣时的承办部门代码")
    instructions: str = Field("", max_length=2000, description="派遣时对承办部门的要求（选填，不超过 300 字）")


class RatingIn(Schema):
    rating: int = Field(..., ge=1, le=5)


class MergeIn(Schema):
    into: int = Field(..., ge=1, le=2**62, description="合并到的事件 id")


class FigureOut(Schema):
    cases: int
    open: int
    closed: int
    on_time_rate: float | None
    mean_hours_to_close: float | None
    reopen_rate: float | None
    mean_satisfaction: float | None
    ratings: int


class GridFigureOut(FigureOut):
    grid_code: str


class DepartmentFigureOut(FigureOut):
    department_code: str
    department_name: str


class FiguresOut(Schema):
    grids: list[GridFigureOut]
    departments: list[DepartmentFigureOut]
