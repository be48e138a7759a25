"""Community social organisations, their members and activities."""

from datetime import date

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.pagination import Paged, Shown
from wangge.geo.scope import scope_of
from wangge.geo.selectors import basic_grid_by_code, division_get
from wangge.people import permissions

from ..masks import shown_person
from ..selectors import social as selectors
from ..selectors.persons import registered_people
from ..services import social as services
from .staff import StaffPersonOut

router = Router(tags=["社区社会组织"])


class MemberOut(StaffPersonOut):
    role: str


class ActivityOut(Schema):
    id: int
    held_on: date
    title: str
    participants: int


class SocialOrganisationOut(Schema):
    id: int
    name: str
    bond: str
    bond_label: str
    status: str
    status_label: str
    community_code: str
    grid_codes: list[str]
    members: list[MemberOut]
    activities: list[ActivityOut]


class SocialOrganisationIn(Schema):
    name: str
    bond: str
    status: str
    community_code: str
    grid_codes: list[str] = []


class MemberIn(Schema):
    id_number: str
    role: str = "member"


class ActivityIn(Schema):
    held_on: date
    title: str
    participants: int = Field(0, ge=0, le=100000)


def _out(organisation) -> dict:
    memberships = organisation.memberships.select_related("person").order_by("pk")
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "bond": organisation.bond,
        "bond_label": organisation.get_bond_display(),
        "status": organisation.status,
        "status_label": organisation.get_status_display(),
        "community_code": organisation.community.code,
        "grid_codes": sorted(organisation.grids.values_list("code", flat=True)),
        "members": [{**shown_person(m.person, public_role=True), "role": m.get_role_display()} for m in memberships],
        "activities": list(organisation.activities.values("id", "held_on", "title", "participants")),
    }


def _require_manager(user) -> None:
    if not permissions.can_manage_organisations(user):
        raise PermissionDenied("没有权限维护社会组织")


@router.get("", response=list[SocialOrganisationOut])
@paginate(Paged)
def social_organisation_list(request, grid: str | None = None, bond: str | None = None):
    organisations = selectors.social_organisation_list(scope_of(request.user)).select_related("community").order_by("pk")
    if grid:
        organisations = organisations.filter(grids__code=grid)
    if bond:
        organisations = organisations.filter(bond=bond)
    return Shown(organisations, _out)


@router.post("", response={201: SocialOrganisationOut})
def social_organisation_create(request, payload: SocialOrganisationIn):
    _require_manager(request.user)
    scope = scope_of(request.user)
    community = division_get(scope, payload.community_code)
    grids = [basic_grid_by_code(scope, code) for code in payload.grid_codes]
    fields = payload.dict(include={"name", "bond", "status"})
    return Status(201, _out(services.social_organisation_create(scope=scope, community=community, grids=grids, actor=request.user, **fields)))


@router.get("/{organisation_id}", response=SocialOrganisationOut)
def social_organisation_detail(request, organisation_id: int):
    return _out(selectors.social_organisation_get(scope_of(request.user), organisation_id))


@router.post("/{organisation_id}/members", response={201: SocialOrganisationOut})
def social_member_add(request, organisation_id: int, payload: MemberIn):
    scope = scope_of(request.user)
    organisation = selectors.social_organisation_get(scope, organisation_id)
    _require_manager(request.user)
    [person] = registered_people(scope, [payload.id_number], field="id_number")
    services.social_member_add(organisation=organisation, person=person, role=payload.role, actor=request.user)
    return Status(201, _out(organisation))


@router.post("/{organisation_id}/activities", response={201: SocialOrganisationOut})
def social_activity_add(request, organisation_id: int, payload: ActivityIn):
    organisation = selectors.social_organisation_get(scope_of(request.user), organisation_id)
    _require_manager(request.user)
    services.social_activity_add(organisation=organisation, actor=request.user, **payload.dict())
    return Status(201, _out(organisation))
