"""A service project from what decided it (/api/projects/from): a fair's signed match, or a
deliberation's resolution. Officials only, refused by role before any lookup; the record is
read in the caller's scope (out of scope: 404, as if missing)."""

from ninja import Router, Schema, Status

from wangge.core.errors import ErrorOut

from . import selectors
from .api import Id, ProjectDetailOut, _project_out
from .permissions import require_project_reader
from .services.origins import project_from_match, project_from_resolution

router = Router(tags=["社区服务项目"])


class LinkOut(Schema):
    kind: str
    kind_label: str
    target_id: str


class ProjectFromOut(ProjectDetailOut):
    links: list[LinkOut]


ANSWERS = {201: ProjectFromOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ResolutionIn(Schema):
    category_id: Id | None = None


def _out(project) -> dict:
    links = [{"kind": link.kind, "kind_label": link.get_kind_display(), "target_id": link.target_id} for link in project.links.all()]
    return _project_out(project, steps=True) | {"links": links}


@router.post("/match/{match_id}", response=ANSWERS)
def from_match(request, match_id: int):
    """A signed match of a fair becomes a draft project carrying its need and resource."""
    require_project_reader(request.user)
    return Status(201, _out(project_from_match(match_id, actor=request.user)))


@router.post("/resolution/{deliberation_id}", response=ANSWERS)
def from_resolution(request, deliberation_id: int, payload: ResolutionIn | None = None):
    """A resolved deliberation decides a draft project, which names it."""
    require_project_reader(request.user)
    category = selectors.category_get(payload.category_id) if payload and payload.category_id else None
    return Status(201, _out(project_from_resolution(deliberation_id, actor=request.user, category=category)))
