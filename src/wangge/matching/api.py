"""Supply and demand over the API: resources (a provider keeps its own), needs and their moves,
proposed matches over an area (written nowhere), and the fair with its matches."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from wangge.core.errors import ErrorOut
from wangge.core.pagination import Paged, Shown
from wangge.core.workflow_out import step_out
from wangge.geo.models import Division
from wangge.geo.scope import Scope, prefix_of, scope_of

from . import resources as resource_services
from . import selectors
from . import services as need_services
from .fair import services as fair_services
from .fair.services import AREA_KINDS, MAX_DISTANCE_M
from .permissions import (
    NOT_FOUND,
    require_keeper,
    require_match_reader,
    require_need_reader,
    require_resource_reader,
)
from .proposals import Unmatched, propose
from .schemas import (
    ConfirmIn,
    FairIn,
    FairOut,
    FairProposedOut,
    MatchOut,
    MoveIn,
    NeedDetailOut,
    NeedIn,
    NeedOut,
    ProposalsOut,
    ReasonIn,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
)
from .workflow import NEED

router = Router(tags=["供需对接"])
READ = {403: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _resource_out(r) -> dict:
    return {
        "id": r.pk, "name": r.name, "kind": r.kind, "kind_label": r.get_kind_display(), "serves": r.serves, "description": r.description,
        "provider_kind": r.provider_kind, "provider_kind_label": r.get_provider_kind_display(), "provider_name": r.provider_name,
        "own": r.owner_id is not None, "capacity": r.capacity, "weekdays": r.weekdays, "opens_at": r.opens_at, "closes_at": r.closes_at,
        "lon": r.lon, "lat": r.lat, "community_code": r.community_code, "active": r.active,
    }


def _need_out(n) -> dict:
    return {
        "id": n.pk, "number": n.number, "category": n.category, "kind": n.kind, "kind_label": n.get_kind_display(), "beneficiary": n.beneficiary,
        "beneficiary_label": n.get_beneficiary_display(), "quantity": n.quantity, "urgency": n.urgency, "description": n.description,
        "community_code": n.community_code, "grid_code": n.grid_code, "lon": n.lon, "lat": n.lat, "source": n.source, "state": n.state,
        "state_label": n.get_state_display(), "submitted_at": n.submitted_at,
    }


def _need_detail(n) -> dict:
    steps = [step_out(s) for s in n.steps.select_related("actor")]
    return {**_need_out(n), "steps": steps, "moves": list(NEED.targets(n.state))}


def _match_out(m) -> dict:
    return {
        "id": m.pk, "fair_id": m.fair_id, "need_id": m.need_id, "need_number": m.need.number, "resource_id": m.resource_id,
        "resource_name": m.resource.name, "quantity": m.quantity, "distance_m": m.distance_m, "explanation": m.explanation, "status": m.status,
        "status_label": m.get_status_display(), "project_number": m.project_number,
    }


def _fair_out(f) -> dict:
    return {"id": f.pk, "title": f.title, "division_code": f.division_code, "held_on": f.held_on, "max_distance_m": f.max_distance_m,
            "status": f.status, "status_label": f.get_status_display()}


def _unmatched_out(u: Unmatched) -> dict:
    return {"need_id": u.need.pk, "need_number": u.need.number, "matched": u.matched, "reason": u.reason}


# Resources


@router.get("/resources", response={200: list[ResourceOut], 403: ErrorOut})
@paginate(Paged)
def resource_list(request, kind: str | None = None, active: bool | None = None):
    require_resource_reader(request.user)
    resources = selectors.resources_visible(request.user).order_by("community_code", "name", "pk")
    if kind:
        resources = resources.filter(kind=kind)
    if active is not None:
        resources = resources.filter(active=active)
    return Shown(resources, _resource_out)


@router.post("/resources", response={201: ResourceOut, **WRITE})
def resource_create(request, payload: ResourceIn):
    return Status(201, _resource_out(resource_services.resource_create(actor=request.user, values=payload.dict())))


@router.get("/resources/{resource_id}", response={200: ResourceOut, **READ})
def resource_detail(request, resource_id: int):
    require_resource_reader(request.user)
    return _resource_out(selectors.resource_get(request.user, resource_id))


@router.patch("/resources/{resource_id}", response={200: ResourceOut, **WRITE})
def resource_update(request, resource_id: int, payload: ResourcePatch):
    require_resource_reader(request.user)
    return _resource_out(resource_services.resource_update(actor=request.user, resource_id=resource_id, values=payload.dict(exclude_unset=True)))


@router.delete("/resources/{resource_id}", response={200: ResourceOut, **WRITE})
def resource_withdraw(request, resource_id: int):
    """Withdrawn from matching (停用), kept for the fairs' matches that name it."""
    require_resource_reader(request.user)
    return _resource_out(resource_services.resource_withdraw(actor=request.user, resource_id=resource_id))


# Needs


@router.get("/needs", response={200: list[NeedOut], 403: ErrorOut})
@paginate(Paged)
def need_list(request, state: str | None = None, kind: str | None = None):
    require_need_reader(request.user)
    needs = selectors.needs_visible(request.user).order_by("-submitted_at", "-pk")
    if state:
        needs = needs.filter(state=state)
    if kind:
        needs = needs.filter(kind=kind)
    return Shown(needs, _need_out)


@router.post("/needs", response={201: NeedOut, **WRITE})
def need_gather(request, payload: NeedIn):
    require_need_reader(request.user)
    return Status(201, _need_out(need_services.need_gather(actor=request.user, values=payload.dict())))


@router.get("/needs/{need_id}", response={200: NeedDetailOut, **READ})
def need_detail(request, need_id: int):
    require_need_reader(request.user)
    return _need_detail(selectors.need_get(request.user, need_id))


@router.post("/needs/{need_id}/transition", response={200: NeedDetailOut, **WRITE})
def need_move(request, need_id: int, payload: MoveIn):
    require_keeper(request.user)
    return _need_detail(need_services.need_move(actor=request.user, need_id=need_id, to=payload.to, reason=payload.reason))


# Proposals over an area: computed, not written


def _area(user, code: str) -> Division:
    found = Division.objects.filter(scope_of(user).q("code"), kind__in=AREA_KINDS, code=code).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@router.get("/proposals", response={200: ProposalsOut, **WRITE})
def proposals(request, division_code: str = "", max_distance_m: int = Query(3000, ge=100, le=MAX_DISTANCE_M)):
    """The matcher's best assignment over a community or subdistrict of the caller's subtree
    (by default the caller's own), each pair and each need left unmatched explained."""
    require_keeper(request.user)
    if not division_code and not Division.objects.filter(kind__in=AREA_KINDS, code=request.user.scope_code).exists():
        raise ValidationError({"division_code": "请选择社区或街道"})
    area = _area(request.user, division_code or request.user.scope_code)
    scope = Scope(prefix_of(area.code))
    found = propose(selectors.needs_in_scope(scope), selectors.resources_in_scope(scope), max_distance_m=max_distance_m)
    pairs = [{"need_id": p.need.pk, "need_number": p.need.number, "resource_id": p.resource.pk, "resource_name": p.resource.name,
              "quantity": p.quantity, "distance_m": p.distance_m, "explanation": p.explanation} for p in found.pairs]
    return {"division_code": area.code, "max_distance_m": max_distance_m, "weight": found.weight, "pairs": pairs,
            "unmatched": [_unmatched_out(u) for u in found.unmatched]}


# The fair


@router.get("/fairs", response={200: list[FairOut], 403: ErrorOut})
@paginate(Paged)
def fair_list(request):
    require_match_reader(request.user)
    return Shown(selectors.fairs_visible(request.user).order_by("-held_on", "-pk"), _fair_out)


@router.post("/fairs", response={201: FairOut, **WRITE})
def fair_create(request, payload: FairIn):
    require_keeper(request.user)
    return Status(201, _fair_out(fair_services.fair_create(actor=request.user, **payload.dict())))


@router.get("/fairs/{fair_id}", response={200: FairOut, **READ})
def fair_detail(request, fair_id: int):
    require_match_reader(request.user)
    return _fair_out(selectors.fair_get(request.user, fair_id))


@router.post("/fairs/{fair_id}/transition", response={200: FairOut, **WRITE})
def fair_move(request, fair_id: int, payload: MoveIn):
    require_keeper(request.user)
    return _fair_out(fair_services.fair_move(actor=request.user, fair_id=fair_id, to=payload.to, reason=payload.reason))


@router.post("/fairs/{fair_id}/proposals", response={200: FairProposedOut, **WRITE})
def fair_propose(request, fair_id: int):
    require_keeper(request.user)
    matches, unmatched = fair_services.fair_propose(actor=request.user, fair_id=fair_id)
    return {"matches": [_match_out(m) for m in matches], "unmatched": [_unmatched_out(u) for u in unmatched]}


@router.get("/fairs/{fair_id}/matches", response={200: list[MatchOut], **READ})
@paginate(Paged)
def fair_matches(request, fair_id: int):
    require_match_reader(request.user)
    fair = selectors.fair_get(request.user, fair_id)
    return Shown(selectors.matches_visible(request.user).filter(fair=fair).order_by("pk"), _match_out)


@router.get("/matches/{match_id}", response={200: MatchOut, **READ})
def match_detail(request, match_id: int):
    require_match_reader(request.user)
    return _match_out(selectors.match_get(request.user, match_id))


@router.post("/matches/{match_id}/confirm", response={200: MatchOut, **WRITE})
def match_confirm(request, match_id: int, payload: ConfirmIn):
    require_match_reader(request.user)
    return _match_out(fair_services.match_confirm(actor=request.user, match_id=match_id, side=payload.side))


@router.post("/matches/{match_id}/sign", response={200: MatchOut, **WRITE})
def match_sign(request, match_id: int):
    require_keeper(request.user)
    return _match_out(fair_services.match_sign(actor=request.user, match_id=match_id))


@router.post("/matches/{match_id}/drop", response={200: MatchOut, **WRITE})
def match_drop(request, match_id: int, payload: ReasonIn):
    require_match_reader(request.user)
    return _match_out(fair_services.match_drop(actor=request.user, match_id=match_id, reason=payload.reason))
