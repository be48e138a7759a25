"""Grid party organisations: branches, groups and joint branches, and their report.

Secretaries and members are named by ID number, matched through the blind index, so that the
API never has to list persons outside the caller's scope to let them be chosen.
"""

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.errors import ErrorOut
from wangge.core.pagination import Paged, Shown
from wangge.geo.scope import scope_of
from wangge.geo.selectors import basic_grid_by_code
from wangge.people import permissions

from ..masks import shown_person
from ..permissions import require_report_reader
from ..selectors import party as selectors
from ..selectors.persons import registered_people
from ..services import party as services
from .staff import StaffPersonOut

router = Router(tags=["网格党组织"])


class PartyOrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    community_code: str
    grid_codes: list[str]
    secretary: StaffPersonOut | None
    members: list[StaffPersonOut]


class PartyOrganisationIn(Schema):
    name: str
    kind: str
    grid_codes: list[str]
    secretary_id_number: str
    member_id_numbers: list[str] = []


class PartyOrganisationPatch(Schema):
    name: str | None = None
    kind: str | None = None
    grid_codes: list[str] | None = None
    secretary_id_number: str | None = None
    member_id_numbers: list[str] | None = None


class NamedGridOut(Schema):
    code: str
    name: str


class BreakingOut(Schema):
    id: int
    name: str
    grid_codes: list[str]
    problems: list[str]


class PartyReportOut(Schema):
    grids_without_organisation: list[NamedGridOut]
    organisations_breaking_rules: list[BreakingOut]


def _out(organisation) -> dict:
    members = organisation.members.order_by("pk")
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "kind_label": organisation.get_kind_display(),
        "community_code": organisation.community.code,
        "grid_codes": sorted(organisation.grids.values_list("code", flat=True)),
        "secretary": shown_person(organisation.secretary, public_role=True) if organisation.secretary else None,
        "members": [shown_person(m, public_role=True) for m in members],
    }


def _require_manager(user) -> None:
    if not permissions.can_manage_organisations(user):
        raise PermissionDenied("没有权限维护党组织")


def _save(request, payload: dict, organisation=None):
    scope = scope_of(request.user)
    grids = [basic_grid_by_code(scope, code) for code in payload["grid_codes"]]
    [secretary] = registered_people(scope, [payload["secretary_id_number"]], field="secretary_id_number")
    members = registered_people(scope, payload["member_id_numbers"], field="member_id_numbers")
    fields = {k: payload[k] for k in ("name", "kind")}
    return services.party_organisation_save(scope=scope, grids=grids, secretary=secretary, members=members, organisation=organisation, actor=request.user, **fields)


@router.get("", response=list[PartyOrganisationOut])
@paginate(Paged)
def party_organisation_list(request, grid: str | None = None):
    organisations = selectors.party_organisation_list(scope_of(request.user)).select_related("community", "secretary").order_by("pk")
    return Shown((organisations.filter(grids__code=grid) if grid else organisations), _out)


@router.get("/report", response={200: PartyReportOut, 403: ErrorOut})
def party_report(request):
    require_report_reader(request.user)
    return selectors.party_report(scope_of(request.user))


@router.post("", response={201: PartyOrganisationOut})
def party_organisation_create(request, payload: PartyOrganisationIn):
    _require_manager(request.user)
    return Status(201, _out(_save(request, payload.dict())))


@router.get("/{organisation_id}", response=PartyOrganisationOut)
def party_organisation_detail(request, organisation_id: int):
    return _out(selectors.party_organisation_get(scope_of(request.user), organisation_id))


@router.patch("/{organisation_id}", response=PartyOrganisationOut)
def party_organisation_update(request, organisation_id: int, payload: PartyOrganisationPatch):
    organisation = selectors.party_organisation_get(scope_of(request.user), organisation_id)
    _require_manager(request.user)
    current = {
        "name": organisation.name,
        "kind": organisation.kind,
        "grid_codes": list(organisation.grids.values_list("code", flat=True)),
        "secretary_id_number": organisation.secretary.id_number if organisation.secretary else "",
        "member_id_numbers": [m.id_number for m in organisation.members.all()],
    }
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return _out(_save(request, current | changes, organisation))


@router.delete("/{organisation_id}", response={204: None})
def party_organisation_delete(request, organisation_id: int):
    organisation = selectors.party_organisation_get(scope_of(request.user), organisation_id)
    _require_manager(request.user)
    services.party_organisation_delete(organisation=organisation, actor=request.user)
    return Status(204, None)
