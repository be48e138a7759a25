"""The API's shapes for supply and demand."""

from datetime import date, datetime

from ninja import Schema

from wangge.core.workflow_out import WorkflowStepOut


class ResourceIn(Schema):
    name: str
    kind: str
    serves: list[str] = []
    description: str = ""
    provider_kind: str
    provider_name: str
    capacity: int
    weekdays: list[int] = [1, 2, 3, 4, 5, 6, 7]
    opens_at: int = 8
    closes_at: int = 18
    lon: float
    lat: float


class ResourcePatch(Schema):
    name: str | None = None
    kind: str | None = None
    serves: list[str] | None = None
    description: str | None = None
    provider_kind: str | None = None
    provider_name: str | None = None
    capacity: int | None = None
    weekdays: list[int] | None = None
    opens_at: int | None = None
    closes_at: int | None = None
    lon: float | None = None
    lat: float | None = None


class ResourceOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    serves: list[str]
    description: str
    provider_kind: str
    provider_kind_label: str
    provider_name: str
    own: bool  # kept by a provider's account
    capacity: int
    weekdays: list[int]
    opens_at: int
    closes_at: int
    lon: float
    lat: float
    community_code: str
    active: bool


class NeedIn(Schema):
    category: str
    kind: str
    beneficiary: str = "everyone"
    quantity: int = 1
    urgency: int = 3
    description: str
    lon: float
    lat: float
    wanted_weekdays: list[int] = []
    wanted_from: int = 0
    wanted_until: int = 24
    name: str
    phone: str


class NeedOut(Schema):
    id: int
    number: str
    category: str
    kind: str
    kind_label: str
    beneficiary: str
    beneficiary_label: str
    quantity: int
    urgency: int
    description: str
    community_code: str
    grid_code: str
    lon: float | None
    lat: float | None
    source: str
    state: str
    state_label: str
    submitted_at: datetime


class NeedDetailOut(NeedOut):
    steps: list[WorkflowStepOut]
    moves: list[str]  # the states it may be moved to now


class MoveIn(Schema):
    to: str
    reason: str = ""


class ReasonIn(Schema):
    reason: str


class ConfirmIn(Schema):
    side: str  # "need" or "resource"


class ProposalOut(Schema):
    need_id: int
    need_number: str
    resource_id: int
    resource_name: str
    quantity: int
    distance_m: int
    explanation: str


class UnmatchedOut(Schema):
    need_id: int
    need_number: str
    matched: int
    reason: str


class ProposalsOut(Schema):
    division_code: str
    max_distance_m: int
    weight: int
    pairs: list[ProposalOut]
    unmatched: list[UnmatchedOut]


class FairIn(Schema):
    title: str
    division_code: str
    held_on: date
    max_distance_m: int = 3000


class FairOut(Schema):
    id: int
    title: str
    division_code: str
    held_on: date
    max_distance_m: int
    status: str
    status_label: str


class MatchOut(ProposalOut):
    id: int
    fair_id: int
    status: str
    status_label: str
    project_number: str


class FairProposedOut(Schema):
    matches: list[MatchOut]
    unmatched: list[UnmatchedOut]
