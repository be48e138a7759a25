"""Service projects over the API.

`router` (/api/projects) is the back office: officials of the project's subtree read, draft,
edit and move projects, answer objections and run the residents' votes; anyone else is refused
by role before any lookup. `public_router` (/api/projects/public) is the portal's side: the
projects from their notice on, lodging an objection (anyone, signed in or not, limited per
address as the portal's forms are), a round's ballot sheet and results, and casting a ballot
(a resident of the round's community only; anyone else meets a missing round).
"""

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.errors import ApiError, ErrorOut
from wangge.core.pagination import Paged, Shown
from wangge.core.workflow_out import WorkflowStepOut, step_out
from wangge.portal.api import objection_out
from wangge.portal.schemas import AnswerIn, ObjectionOut
from wangge.portal.views.common import count_submission, over_limit

from . import selectors
from .models import Origin, Project
from .permissions import require_category_keeper, require_project_reader
from .services import catalogue, objections, votes
from .services import projects as services

router = Router(tags=["社区服务项目"])
public_router = Router(tags=["社区服务项目（门户）"])
LIMIT_NAME = "project-objection"
# Bounds the database can hold, so that a number past them is refused as bad input.
Id = Annotated[int, Field(ge=1, le=2**62)]
Fen = Annotated[int, Field(ge=0, le=10**15, description="金额，单位：分")]
Small = Annotated[int, Field(ge=0, le=32767)]
Year = Annotated[int, Field(ge=2000, le=2100)]


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    active: bool


class CategoryIn(Schema):
    code: str
    name: str


class CategoryPatch(Schema):
    name: str | None = None
    active: bool | None = None


class PublicProjectOut(Schema):
    """What the portal shows of a project: no links to the back office's records."""

    id: int
    number: str
    title: str
    category: str
    category_id: int
    community_code: str
    origin: str
    scope: str
    year: int
    status: str
    status_label: str
    status_note: str
    notice_starts_at: datetime | None
    notice_ends_at: datetime | None
    notice_id: int | None


class ProjectOut(PublicProjectOut):
    need_ids: list[int]
    case_ids: list[int]
    unanswered_objections: int


class ProjectDetailOut(ProjectOut):
    steps: list[WorkflowStepOut]


class ProjectIn(Schema):
    title: str
    category_id: Id
    community_code: str
    scope: str
    year: Year
    origin: str = Origin.PLAN
    need_ids: list[Id] = []
    case_ids: list[Id] = []


class ProjectPatch(Schema):
    title: str | None = None
    category_id: Id | None = None
    scope: str | None = None
    year: Year | None = None
    origin: str | None = None
    need_ids: list[Id] | None = None
    case_ids: list[Id] | None = None


class ProjectMoveIn(Schema):
    to: str = ""
    name: str = ""
    reason: str = ""


class ObjectionIn(Schema):
    text: str
    name: str = ""
    phone: str = ""


class ReceiptOut(Schema):
    number: str


class EntryIn(Schema):
    project_id: Id
    cost_fen: Fen


class RoundIn(Schema):
    community_code: str
    title: str
    budget_fen: Fen
    mode: str = "approval"
    max_choices: Small = 3
    min_share_percent: Small = 70
    opens_at: datetime
    closes_at: datetime
    entries: list[EntryIn]


class RoundMoveIn(Schema):
    to: str
    reason: str = ""


class ResultEntryOut(Schema):
    id: int
    project_id: int
    title: str
    cost_fen: int
    votes: int | None
    won: bool | None


class RoundOut(Schema):
    id: int
    community_code: str
    title: str
    mode: str
    budget_fen: int
    max_choices: int
    min_share_percent: int
    opens_at: datetime
    closes_at: datetime
    status: str
    counted: bool
    voters: int
    eligible: int
    turnout_percent: float
    chosen_fen: int
    entries: list[ResultEntryOut]


class BallotIn(Schema):
    choices: list[Id]


class BallotOut(Schema):
    round_id: int
    choices: int


def _category_out(category) -> dict:
    return {"id": category.pk, "code": category.code, "name": category.name, "active": category.active}


def _project_out(project: Project, *, steps: bool = False, public: bool = False) -> dict:
    out = {
        "id": project.pk, "number": project.number, "title": project.title, "category": project.category.name, "category_id": project.category_id,
        "community_code": project.community_code, "origin": project.origin, "scope": project.scope, "year": project.year, "status": project.status,
        "status_label": project.get_status_display(), "status_note": project.status_note, "notice_starts_at": project.notice_starts_at,
        "notice_ends_at": project.notice_ends_at, "notice_id": project.notice_id,
    }
    if public:
        return out
    out |= {
        "need_ids": sorted(n.pk for n in project.needs.all()), "case_ids": sorted(c.pk for c in project.cases.all()),
        "unanswered_objections": selectors.unanswered_objections(project),
    }
    if steps:
        out["steps"] = [step_out(s) for s in selectors.project_timeline(project)]
    return out


def _round_out(vote_round) -> dict:
    fields = ("id", "community_code", "title", "mode", "budget_fen", "max_choices", "min_share_percent", "opens_at", "closes_at", "status")
    return {**{f: getattr(vote_round, f) for f in fields}, **votes.round_results(vote_round)}


# Categories: everyone who reads projects sees them; district-wide officials keep them.

@router.get("/categories", response={200: list[CategoryOut], 403: ErrorOut})
def category_list(request):
    require_project_reader(request.user)
    return [_category_out(c) for c in selectors.categories()]


@router.post("/categories", response={201: CategoryOut, 400: ErrorOut, 403: ErrorOut})
def category_add(request, payload: CategoryIn):
    return Status(201, _category_out(catalogue.category_add(actor=request.user, code=payload.code, name=payload.name)))


@router.patch("/categories/{category_id}", response={200: CategoryOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def category_change(request, category_id: int, payload: CategoryPatch):
    require_category_keeper(request.user)
    category = selectors.category_get(category_id)
    return _category_out(catalogue.category_change(actor=request.user, category=category, name=payload.name, active=payload.active))


# Residents' votes in the back office (before the projects: /rounds is not a project's id).

@router.post("/rounds", response={201: RoundOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def round_create(request, payload: RoundIn):
    require_project_reader(request.user)
    found = {p.pk: p for p in selectors.projects_visible(request.user).filter(pk__in=[e.project_id for e in payload.entries])}
    missing = next((row for row, e in enumerate(payload.entries, start=1) if e.project_id not in found), None)
    if missing:
        raise ApiError(400, f"第 {missing} 项：找不到该项目", [{"field": f"entries[{missing}].project_id", "reason": "找不到该项目"}])
    entries = [votes.EntryIn(found[e.project_id], e.cost_fen) for e in payload.entries]
    vote_round = votes.round_create(actor=request.user, entries=entries, **payload.dict(exclude={"entries"}))
    return Status(201, _round_out(vote_round))


@router.get("/rounds", response={200: list[RoundOut], 403: ErrorOut})
@paginate(Paged)
def round_list(request, status: str | None = None):
    require_project_reader(request.user)
    rounds = selectors.rounds_visible(request.user)
    return Shown(rounds.filter(status=status) if status else rounds, _round_out)


@router.get("/rounds/{round_id}", response={200: RoundOut, 403: ErrorOut, 404: ErrorOut})
def round_detail(request, round_id: int):
    require_project_reader(request.user)
    return _round_out(selectors.round_get(request.user, round_id))


@router.post("/rounds/{round_id}/move", response={200: RoundOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def round_move(request, round_id: int, payload: RoundMoveIn):
    """Open, close or count (`to`: open, closed, counted)."""
    require_project_reader(request.user)
    vote_round = selectors.round_get(request.user, round_id)
    return _round_out(votes.round_move(vote_round=vote_round, actor=request.user, to=payload.to, reason=payload.reason))


# Projects in the back office.

@router.get("", response={200: list[ProjectOut], 403: ErrorOut})
@paginate(Paged)
def project_list(request, status: str | None = None, category: str | None = None):
    require_project_reader(request.user)
    projects = selectors.projects_visible(request.user).prefetch_related("needs", "cases")
    if status:
        projects = projects.filter(status=status)
    if category:
        projects = projects.filter(category__code=category)
    return Shown(projects, _project_out)


@router.post("", response={201: ProjectDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def project_create(request, payload: ProjectIn):
    require_project_reader(request.user)
    category = selectors.category_get(payload.category_id)
    project = services.project_create(actor=request.user, category=category, **payload.dict(exclude={"category_id"}))
    return Status(201, _project_out(project, steps=True))


@router.get("/{project_id}", response={200: ProjectDetailOut, 403: ErrorOut, 404: ErrorOut})
def project_detail(request, project_id: int):
    require_project_reader(request.user)
    return _project_out(selectors.project_get(request.user, project_id), steps=True)


@router.patch("/{project_id}", response={200: ProjectDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def project_edit(request, project_id: int, payload: ProjectPatch):
    require_project_reader(request.user)
    project = selectors.project_get(request.user, project_id)
    changes = payload.dict(exclude_unset=True)
    if "category_id" in changes:
        changes["category"] = selectors.category_get(changes.pop("category_id"))
    return _project_out(services.project_edit(project=project, actor=request.user, **changes), steps=True)


@router.post("/{project_id}/move", response={200: ProjectDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def project_move(request, project_id: int, payload: ProjectMoveIn):
    """Move by the target status (`to`) or, for `renotice`, by its name."""
    require_project_reader(request.user)
    project = selectors.project_get(request.user, project_id)
    return _project_out(services.project_move(project=project, actor=request.user, to=payload.to, name=payload.name, reason=payload.reason), steps=True)


@router.get("/{project_id}/objections", response={200: list[ObjectionOut], 403: ErrorOut, 404: ErrorOut})
def objection_list(request, project_id: int):
    require_project_reader(request.user)
    return [objection_out(o) for o in selectors.project_objections(selectors.project_get(request.user, project_id)).select_related("disclosure")]


@router.post("/{project_id}/objections/{objection_id}/answer", response={200: ObjectionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def objection_answer(request, project_id: int, objection_id: int, payload: AnswerIn):
    require_project_reader(request.user)
    project = selectors.project_get(request.user, project_id)
    objection = selectors.project_objection_get(project, objection_id)
    return objection_out(objections.project_objection_answer(project=project, objection=objection, actor=request.user, answer=payload.answer))


# The portal's side: public reads, objections and ballots.

@public_router.get("", response=list[PublicProjectOut], auth=None)
@paginate(Paged)
def public_project_list(request, status: str | None = None):
    projects = selectors.projects_public()
    if status:
        projects = projects.filter(status=status)
    return Shown(projects, lambda p: _project_out(p, public=True))


# The rounds before a project's id (/rounds is not one).
@public_router.get("/rounds", response=list[RoundOut], auth=None)
@paginate(Paged)
def public_round_list(request, community_code: str | None = None):
    """Rounds open now or past, with their results once counted (a community's, if named)."""
    rounds = selectors.rounds_public()
    return Shown(rounds.filter(community_code=community_code) if community_code else rounds, _round_out)


@public_router.get("/rounds/{round_id}", response={200: RoundOut, 404: ErrorOut}, auth=None)
def public_round(request, round_id: int):
    """The ballot sheet of an open round, or its results once counted."""
    return _round_out(selectors.round_public_get(round_id))


@public_router.post("/rounds/{round_id}/ballot", response={201: BallotOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def public_ballot(request, round_id: int, payload: BallotIn):
    vote_round = selectors.round_for_voter(request.user, round_id)
    votes.ballot_cast(vote_round=vote_round, actor=request.user, entry_ids=payload.choices)
    return Status(201, {"round_id": vote_round.pk, "choices": len(payload.choices)})


@public_router.get("/{project_id}", response={200: PublicProjectOut, 404: ErrorOut}, auth=None)
def public_project_detail(request, project_id: int):
    return _project_out(selectors.project_public_get(project_id), public=True)


@public_router.post("/{project_id}/objections", response={201: ReceiptOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def public_objection_lodge(request, project_id: int, payload: ObjectionIn):
    """An objection while the project is in notice, from anyone; the receipt number answers."""
    project = selectors.project_public_get(project_id)
    if message := over_limit(request, LIMIT_NAME):
        raise ApiError(429, message)
    objection = objections.project_objection_lodge(project=project, user=request.user, **payload.dict())
    count_submission(request, LIMIT_NAME)
    return Status(201, {"number": objection.number})


@public_router.get("/{project_id}/objections", response={200: list[ObjectionOut], 404: ErrorOut}, auth=None)
def public_objection_list(request, project_id: int):
    """The answered objections with their answers, as the notice's page shows them."""
    answered = selectors.project_objections(selectors.project_public_get(project_id)).filter(state="answered")
    return [objection_out(o) for o in answered.select_related("disclosure")]
