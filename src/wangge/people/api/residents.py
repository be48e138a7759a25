"""Residents: registered in a dwelling of a building in scope; always answered masked."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.pagination import Paged, Shown
from wangge.geo.scope import scope_of
from wangge.people import permissions

from ..masks import shown_resident
from ..selectors import buildings as building_selectors
from ..selectors import persons as selectors
from ..services import persons as services
from ..services.signup import CODE_REFUSED, signup_code_issue
from ..services.unmask import resident_unmask
from .unmasking import REFUSALS, UnmaskIn, unmask_answer

router = Router(tags=["居民"])


class ResidentOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    sex: str
    age: int
    party: str
    ethnicity: str
    religion: str
    health: str
    residence: str
    retired_cadre: bool
    care_categories: list[str]
    household_id: int
    address: str
    grid_code: str


class ResidentFields(Schema):
    phone: str = ""
    ethnicity: str = ""
    religion: str = ""
    health: str = ""
    residence: str = "registered"
    party: str = "none"
    retired_cadre: bool = False
    care_categories: list[str] = []


class ResidentIn(ResidentFields):
    building_id: int
    unit: str = ""
    room: str
    name: str
    id_number: str


class ResidentPatch(Schema):
    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    health: str | None = None
    residence: str | None = None
    party: str | None = None
    retired_cadre: bool | None = None
    care_categories: list[str] | None = None


class UnmaskedResidentOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    ethnicity: str
    religion: str
    health: str


def _out(person) -> dict:
    household = person.household
    return {**shown_resident(person), "household_id": household.pk, "address": household.address, "grid_code": household.building.grid_code}


def _require_reader(user) -> None:
    if not permissions.can_read_residents(user):
        raise PermissionDenied("没有权限查看居民信息")


def _require_editor(user) -> None:
    if not permissions.can_edit_residents(user):
        raise PermissionDenied("没有权限维护居民信息")


@router.get("", response=list[ResidentOut])
@paginate(Paged)
def resident_list(request, grid: str | None = None):
    _require_reader(request.user)
    residents = selectors.resident_list(scope_of(request.user)).select_related("household__building")
    residents = residents.prefetch_related("care_categories").order_by("pk")
    return Shown((residents.filter(household__building__grid_code=grid) if grid else residents), _out)


@router.post("", response={201: ResidentOut})
def resident_create(request, payload: ResidentIn):
    _require_editor(request.user)
    scope = scope_of(request.user)
    building = building_selectors.building_get(scope, payload.building_id)
    fields = payload.dict(exclude={"building_id"})
    return Status(201, _out(services.resident_create(scope=scope, building=building, actor=request.user, **fields)))


@router.get("/{person_id}", response=ResidentOut)
def resident_detail(request, person_id: int):
    _require_reader(request.user)
    return _out(selectors.resident_get(scope_of(request.user), person_id))


@router.patch("/{person_id}", response=ResidentOut)
def resident_update(request, person_id: int, payload: ResidentPatch):
    scope = scope_of(request.user)
    person = selectors.resident_get(scope, person_id)
    _require_editor(request.user)
    return _out(services.resident_update(scope=scope, person=person, actor=request.user, **payload.dict(exclude_unset=True)))


@router.delete("/{person_id}", response={204: None})
def resident_move_out(request, person_id: int):
    person = selectors.resident_get(scope_of(request.user), person_id)
    _require_editor(request.user)
    services.resident_move_out(person=person, actor=request.user)
    return Status(204, None)


@router.post("/{person_id}/unmask", response={200: UnmaskedResidentOut, **REFUSALS}, summary="查看完整信息")
def resident_unmask_view(request, person_id: int, payload: UnmaskIn):
    """查看一名居民的完整身份证号、电话、民族、宗教信仰和健康状况；须说明事由（至少 4 个字），每次查看均记入审计。"""
    return unmask_answer(
        request, find=lambda scope: selectors.resident_get(scope, person_id),
        show=lambda person: {"id": person.pk, **resident_unmask(person=person, reason=payload.reason, actor=request.user)},
    )


class SignupCodeOut(Schema):
    code: str
    expires_at: datetime


@router.post("/{person_id}/signup-code", response={201: SignupCodeOut, **REFUSALS}, summary="发放注册码")
def resident_signup_code(request, person_id: int):
    """为本人负责范围内的一名居民发放一次性注册码（72 小时内有效，只能使用一次；再次发放则原注册码作废）。注册码只在此次应答中出现，请当面交给居民本人。"""
    # The role is refused before the lookup: the same 403 for any id, so nothing leaks.
    if not permissions.can_issue_signup_codes(request.user):
        raise PermissionDenied(CODE_REFUSED)
    scope = scope_of(request.user)
    person = selectors.resident_get(scope, person_id)
    code, issued = signup_code_issue(person=person, actor=request.user, scope=scope)
    return Status(201, {"code": code, "expires_at": issued.expires_at})
