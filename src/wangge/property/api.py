"""Red Property over the API: compounds and companies as the caller may see them (a company
its own), registering companies by credit code and compounds, and naming backstops."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.errors import ErrorOut
from wangge.core.pagination import Paged, Shown
from wangge.geo.models import Division
from wangge.geo.scope import scope_of
from wangge.people.masks import shown_person
from wangge.people.selectors.buildings import building_list
from wangge.people.selectors.persons import registered_people
from wangge.people.services import committees as committee_services

from .permissions import (
    NOT_FOUND,
    require_property_keeper,
    require_property_reader,
)
from .selectors import records
from .selectors.records import SUBDISTRICT_KINDS
from .services import companies as company_services
from .services import compounds as compound_services
from .services import party as party_services

router = Router(tags=["红色物业"])


class CompoundOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    mode: str
    mode_label: str
    community_code: str
    households: int
    floor_area: Decimal
    company_id: int | None
    company_name: str | None
    has_boundary: bool


class CompoundIn(Schema):
    name: str
    kind: str
    mode: str
    community_code: str
    boundary: dict | None = None
    building_ids: list[int] = []


class CompanyOut(Schema):
    id: int
    name: str
    credit_code: str
    state_owned: bool
    subdistrict_code: str


class CompanyIn(Schema):
    name: str
    credit_code: str
    subdistrict_code: str
    state_owned: bool = False
    phone: str = ""


class BackstopIn(Schema):
    subdistrict_code: str
    credit_code: str


def _compound_out(compound) -> dict:
    return {
        "id": compound.pk, "name": compound.name, "kind": compound.kind, "kind_label": compound.get_kind_display(), "mode": compound.mode,
        "mode_label": compound.get_mode_display(), "community_code": compound.community.code, "households": compound.households,
        "floor_area": compound.floor_area, "company_id": compound.company_id, "company_name": compound.company_name, "has_boundary": bool(compound.boundary),
    }


def _company_out(company) -> dict:
    return {"id": company.pk, "name": company.name, "credit_code": company.credit_code, "state_owned": company.state_owned, "subdistrict_code": company.subdistrict.code}


def _division(user, code: str, *kinds: str) -> Division:
    return get_object_or_404(records.divisions_kept(user, *kinds), code=code)


@router.get("/compounds", response={200: list[CompoundOut], 403: ErrorOut})
@paginate(Paged)
def compound_list(request, kind: str | None = None, mode: str | None = None):
    require_property_reader(request.user)
    compounds = records.with_registry_figures(records.compounds_visible(request.user)).order_by("community__code", "name", "pk")
    if kind:
        compounds = compounds.filter(kind=kind)
    if mode:
        compounds = compounds.filter(mode=mode)
    return Shown(compounds, _compound_out)


@router.get("/compounds/{compound_id}", response={200: CompoundOut, 403: ErrorOut, 404: ErrorOut})
def compound_detail(request, compound_id: int):
    require_property_reader(request.user)
    return _compound_out(get_object_or_404(records.with_registry_figures(records.compounds_visible(request.user)), pk=compound_id))


@router.post("/compounds", response={201: CompoundOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def compound_create(request, payload: CompoundIn):
    require_property_keeper(request.user)
    community = _division(request.user, payload.community_code, Division.Kind.COMMUNITY)
    buildings = list(building_list(scope_of(request.user)).filter(pk__in=payload.building_ids))
    if len(buildings) != len(set(payload.building_ids)):
        raise Http404(NOT_FOUND)  # a building out of scope reads as one that does not exist
    compound = compound_services.compound_save(
        actor=request.user, name=payload.name, kind=payload.kind, mode=payload.mode, community=community, boundary=payload.boundary, buildings=buildings,
    )
    return Status(201, compound_detail(request, compound.pk))


@router.get("/companies", response={200: list[CompanyOut], 403: ErrorOut})
@paginate(Paged)
def company_list(request):
    require_property_reader(request.user)
    return Shown(records.companies_visible(request.user).select_related("subdistrict").order_by("name", "pk"), _company_out)


@router.get("/companies/{company_id}", response={200: CompanyOut, 403: ErrorOut, 404: ErrorOut})
def company_detail(request, company_id: int):
    require_property_reader(request.user)
    return _company_out(records.company_get(request.user, company_id))


@router.post("/companies", response={201: CompanyOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def company_register(request, payload: CompanyIn):
    require_property_keeper(request.user)
    subdistrict = _division(request.user, payload.subdistrict_code, *SUBDISTRICT_KINDS)
    fields = payload.dict(include={"name", "credit_code", "state_owned", "phone"})
    return Status(201, _company_out(company_services.company_register(actor=request.user, subdistrict=subdistrict, **fields)))


@router.post("/backstops", response={200: CompanyOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def backstop_name(request, payload: BackstopIn):
    """Name the subdistrict's state-owned backstop company by its credit code (found only among
    the companies the caller sees); its ownerless courtyards are assigned to it."""
    require_property_keeper(request.user)
    subdistrict = _division(request.user, payload.subdistrict_code, *SUBDISTRICT_KINDS)
    company = records.company_by_credit_code(request.user, payload.credit_code.strip().upper())
    if company is None:
        raise Http404(NOT_FOUND)
    return _company_out(company_services.backstop_name(actor=request.user, subdistrict=subdistrict, company=company).company)


class StaffIn(Schema):
    id_number: str
    post: str = "staff"


class StaffOut(Schema):
    name: str
    id_number: str
    post: str
    party: str


class ServiceIn(Schema):
    credit_code: str
    project_manager_id_number: str = ""
    started_on: date | None = None


class InstructorIn(Schema):
    id_number: str
    sent_by_code: str
    started_on: date | None = None


class CompanyPartyOrganisationIn(Schema):
    name: str
    kind: str
    credit_codes: list[str]
    secretary_id_number: str
    member_id_numbers: list[str] = []


class CommitteePostIn(Schema):
    community_code: str
    id_number: str
    committee: str
    post: str = "member"
    part_time: bool = True


def _staff_out(company) -> list[dict]:
    return [
        {**{k: shown_person(s.person, public_role=True)[k] for k in ("name", "id_number")}, "post": s.get_post_display(), "party": s.person.get_party_display()}
        for s in company.staff.select_related("person").order_by("post", "pk")
    ]


def _company_by_code(user, credit_code: str):
    company = records.company_by_credit_code(user, (credit_code or "").strip().upper())
    if company is None:
        raise Http404(NOT_FOUND)  # unknown and out of scope read the same
    return company


@router.get("/companies/{company_id}/staff", response={200: list[StaffOut], 403: ErrorOut, 404: ErrorOut})
def company_staff_list(request, company_id: int):
    require_property_reader(request.user)
    return _staff_out(records.company_get(request.user, company_id))


@router.post("/companies/{company_id}/staff", response={201: list[StaffOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def company_staff_add(request, company_id: int, payload: StaffIn):
    require_property_keeper(request.user)  # refused by role before any lookup: the same 403 whichever company is named
    company = records.company_get(request.user, company_id)
    company_services.company_staff_save(actor=request.user, company=company, person=records.registered_person(request.user, payload.id_number, field="id_number"), post=payload.post)
    return Status(201, _staff_out(company))


@router.post("/compounds/{compound_id}/service", response={201: CompoundOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def compound_service_start(request, compound_id: int, payload: ServiceIn):
    """The company (named by credit code, found only among those the caller sees) starts
    serving the compound, with its project manager."""
    require_property_keeper(request.user)
    compound = records.compound_get(request.user, compound_id)
    company = _company_by_code(request.user, payload.credit_code)
    manager = records.registered_person(request.user, payload.project_manager_id_number, field="project_manager_id_number") if payload.project_manager_id_number else None
    company_services.company_service_start(actor=request.user, company=company, compound=compound, started_on=payload.started_on, project_manager=manager)
    return Status(201, compound_detail(request, compound.pk))


@router.post("/companies/{company_id}/instructors", response={201: CompanyOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def party_instructor_send(request, company_id: int, payload: InstructorIn):
    require_property_keeper(request.user)
    company = records.company_get(request.user, company_id)
    sent_by = _division(request.user, payload.sent_by_code, *SUBDISTRICT_KINDS, Division.Kind.COMMUNITY)
    person = records.registered_person(request.user, payload.id_number, field="id_number")
    party_services.party_instructor_send(actor=request.user, company=company, person=person, sent_by=sent_by, started_on=payload.started_on)
    return Status(201, _company_out(company))


@router.post("/party-organisations", response={201: list[CompanyOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def company_party_organisation_create(request, payload: CompanyPartyOrganisationIn):
    """A branch of one company or a joint branch of several, under people's rules."""
    require_property_keeper(request.user)
    companies = [_company_by_code(request.user, code) for code in payload.credit_codes]
    numbers = [payload.secretary_id_number, *payload.member_id_numbers]
    secretary, *members = registered_people(scope_of(request.user), numbers, field="member_id_numbers")
    link = party_services.company_party_organisation_save(
        actor=request.user, name=payload.name, kind=payload.kind, companies=companies, secretary=secretary, members=members,
    )
    return Status(201, [_company_out(c) for c in link.companies.select_related("subdistrict").order_by("name")])


@router.post("/committee-posts", response={201: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def committee_post_save(request, payload: CommitteePostIn):
    """A person's post in a community committee: how a manager or an owners' committee member
    sits on it (双向进入、交叉任职)."""
    require_property_keeper(request.user)
    community = _division(request.user, payload.community_code, Division.Kind.COMMUNITY)
    person = records.registered_person(request.user, payload.id_number, field="id_number")
    post = committee_services.committee_post_save(
        community=community, person=person, committee=payload.committee, post=payload.post, part_time=payload.part_time, actor=request.user,
    )
    return Status(201, {"community_code": community.code, "committee": post.get_committee_display(), "post": post.get_post_display(), "part_time": post.part_time})
