"""Deliberations (议事协商) over the API: opened, evidenced and moved by officials in scope."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.errors import ErrorOut
from wangge.core.pagination import Paged, Shown
from wangge.core.workflow_out import WorkflowStepOut, actor_name, step_out

from . import rules, selectors, services
from .permissions import require_deliberation_keeper
from .workflow import DELIBERATION, LABELS

router = Router(tags=["议事协商"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class DeliberationIn(Schema):
    title: str
    matter: str
    community_code: str


class DeliberationOut(Schema):
    id: int
    number: str
    title: str
    matter: str
    community_code: str
    status: str
    status_label: str
    proposal: str
    resolution: str
    publicity_ends_at: datetime | None
    disclosure_id: str
    result: str
    result_disclosure_id: str
    created_at: datetime


class OpinionIn(Schema):
    address: str
    summary: str
    name: str = ""


class OpinionOut(Schema):
    id: int
    address: str
    summary: str
    gathered_by: str
    at: datetime


class ConsultationIn(Schema):
    unit: str
    summary: str
    minutes: str = ""


class ConsultationOut(Schema):
    id: int
    unit: str
    summary: str
    minutes: str
    at: datetime


class MeetingIn(Schema):
    kind: str
    held_on: date
    members: int
    present: int
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    minutes: str = ""
    attendance: str = ""
    resolution: str = ""


class MeetingOut(Schema):
    id: int
    kind: str
    kind_label: str
    held_on: date
    members: int
    present: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    minutes: str
    outcome: str
    outcome_label: str
    note: str  # why a sitting did not resolve, in Chinese; empty when it did


class DeliberationMoveOut(Schema):
    to: str
    label: str


class DeliberationDetailOut(DeliberationOut):
    opinions: list[OpinionOut]
    consultations: list[ConsultationOut]
    meetings: list[MeetingOut]
    steps: list[WorkflowStepOut]
    moves: list[DeliberationMoveOut]


class DeliberationMoveIn(Schema):
    to: str
    reason: str = ""
    text: str = ""
    days: int = services.PUBLICITY_DAYS


def _out(d) -> dict:
    return {
        "id": d.pk, "number": d.number, "title": d.title, "matter": d.matter, "community_code": d.community_code, "status": d.status,
        "status_label": d.get_status_display(), "proposal": d.proposal, "resolution": d.resolution, "publicity_ends_at": d.publicity_ends_at,
        "disclosure_id": d.disclosure_id, "result": d.result, "result_disclosure_id": d.result_disclosure_id, "created_at": d.created_at,
    }


def meeting_out(m) -> dict:
    note = ""
    if m.outcome == m.Outcome.NO_QUORUM:
        note = rules.no_quorum_refusal(m.members, m.present) + "，须另行召集会议"
    elif m.outcome == m.Outcome.NOT_ADOPTED:
        note = rules.not_adopted_note(m.present, m.votes_for)
    return {
        "id": m.pk, "kind": m.kind, "kind_label": m.get_kind_display(), "held_on": m.held_on, "members": m.members, "present": m.present,
        "votes_for": m.votes_for, "votes_against": m.votes_against, "votes_abstain": m.votes_abstain, "minutes": m.minutes, "outcome": m.outcome,
        "outcome_label": m.get_outcome_display(), "note": note,
    }


def _detail(d) -> dict:
    evidence = selectors.deliberation_evidence(d)
    return {
        **_out(d),
        "opinions": [{"id": o.pk, "address": o.address, "summary": o.summary, "gathered_by": actor_name(o.gathered_by), "at": o.at} for o in evidence["opinions"]],
        "consultations": [{"id": c.pk, "unit": c.unit, "summary": c.summary, "minutes": c.minutes, "at": c.at} for c in evidence["consultations"]],
        "meetings": [meeting_out(m) for m in evidence["meetings"]],
        "steps": [step_out(s) for s in evidence["steps"]],
        "moves": [{"to": to, "label": LABELS[(d.status, to)]} for to, actor in DELIBERATION.targets(d.status).items() if actor != "meeting"],
    }


@router.get("", response={200: list[DeliberationOut], 403: ErrorOut})
@paginate(Paged)
def deliberation_list(request, status: str | None = None, community_code: str | None = None):
    require_deliberation_keeper(request.user)
    found = selectors.deliberations_visible(request.user)
    if status:
        found = found.filter(status=status)
    if community_code:
        found = found.filter(community_code=community_code)
    return Shown(found, _out)


@router.post("", response={201: DeliberationDetailOut, **ERRORS})
def deliberation_open(request, payload: DeliberationIn):
    require_deliberation_keeper(request.user)
    d = services.deliberation_open(actor=request.user, title=payload.title, matter=payload.matter, community_code=payload.community_code)
    return Status(201, _detail(d))


@router.get("/{deliberation_id}", response={200: DeliberationDetailOut, 403: ErrorOut, 404: ErrorOut})
def deliberation_detail(request, deliberation_id: int):
    require_deliberation_keeper(request.user)
    return _detail(selectors.deliberation_get(request.user, deliberation_id))


@router.post("/{deliberation_id}/opinions", response={201: OpinionOut, **ERRORS})
def opinion_add(request, deliberation_id: int, payload: OpinionIn):
    require_deliberation_keeper(request.user)
    d = selectors.deliberation_get(request.user, deliberation_id)
    o = services.opinion_add(actor=request.user, deliberation=d, address=payload.address, summary=payload.summary, name=payload.name)
    return Status(201, {"id": o.pk, "address": o.address, "summary": o.summary, "gathered_by": actor_name(o.gathered_by), "at": o.at})


@router.post("/{deliberation_id}/consultations", response={201: ConsultationOut, **ERRORS})
def consultation_add(request, deliberation_id: int, payload: ConsultationIn):
    require_deliberation_keeper(request.user)
    d = selectors.deliberation_get(request.user, deliberation_id)
    c = services.consultation_add(actor=request.user, deliberation=d, unit=payload.unit, summary=payload.summary, minutes=payload.minutes)
    return Status(201, {"id": c.pk, "unit": c.unit, "summary": c.summary, "minutes": c.minutes, "at": c.at})


@router.post("/{deliberation_id}/meetings", response={201: MeetingOut, **ERRORS})
def meeting_record(request, deliberation_id: int, payload: MeetingIn):
    """登记一次居民会议（或居民代表会议）及其表决。过半数到会且到会过半数赞成即形成决议；
    到会过半数但赞成未过半数为未获通过；未达法定人数的会议照样登记，议事仍停在「已商议」，须另行召集。"""
    require_deliberation_keeper(request.user)
    d = selectors.deliberation_get(request.user, deliberation_id)
    m = services.meeting_record(actor=request.user, deliberation=d, **payload.dict())
    return Status(201, meeting_out(m))


@router.post("/{deliberation_id}/moves", response={200: DeliberationDetailOut, **ERRORS})
def deliberation_move(request, deliberation_id: int, payload: DeliberationMoveIn):
    """推进一个环节：proposed（须有意见，text 为提议内容）、consulted（须有商议记录）、publicity（days 为公示天数）、
    implementing（公示期满且异议均已答复）、result_disclosed（text 为实施结果）、closed。"""
    require_deliberation_keeper(request.user)
    d = selectors.deliberation_get(request.user, deliberation_id)
    moved = services.deliberation_move(actor=request.user, deliberation=d, to=payload.to, reason=payload.reason, text=payload.text, days=payload.days)
    return _detail(moved)
