from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.pagination import Paged
from wangge.geo.scope import scope_of
from wangge.geo.selectors import division_get
from wangge.people import permissions

from ..selectors import buildings as selectors
from ..services import buildings as services


class BuildingOut(Schema):
    id: int
    community_code: str = Field(..., alias="community.code")
    grid_code: str
    compound: str
    name: str
    address: str
    lon: float
    lat: float
    households: int
    population: int


class BuildingIn(Schema):
    community_code: str
    compound: str = ""
    name: str
    lon: float
    lat: float
    households: int = 0
    population: int = 0


class BuildingPatch(Schema):
    compound: str | None = None
    name: str | None = None
    lon: float | None = None
    lat: float | None = None
    households: int | None = None
    population: int | None = None


router = Router(tags=["楼栋"])


def _require_editor(user) -> None:
    if not permissions.can_edit_buildings(user):
        raise PermissionDenied("没有权限维护楼栋")


@router.get("", response=list[BuildingOut])
@paginate(Paged)
def building_list(request, grid: str | None = None):
    buildings = selectors.building_list(scope_of(request.user)).select_related("community").order_by("pk")
    return buildings.filter(grid_code=grid) if grid else buildings


@router.post("", response={201: BuildingOut})
def building_create(request, payload: BuildingIn):
    _require_editor(request.user)
    scope = scope_of(request.user)
    community = division_get(scope.widened_to_community(), payload.community_code)
    fields = payload.dict(exclude={"community_code"})
    return Status(201, services.building_create(scope=scope, community=community, actor=request.user, **fields))


@router.get("/{building_id}", response=BuildingOut)
def building_detail(request, building_id: int):
    return selectors.building_get(scope_of(request.user), building_id)


@router.patch("/{building_id}", response=BuildingOut)
def building_update(request, building_id: int, payload: BuildingPatch):
    scope = scope_of(request.user)
    building = selectors.building_get(scope, building_id)
    _require_editor(request.user)
    return services.building_update(scope=scope, building=building, actor=request.user, **payload.dict(exclude_unset=True))


@router.delete("/{building_id}", response={204: None})
def building_delete(request, building_id: int):
    building = selectors.building_get(scope_of(request.user), building_id)
    _require_editor(request.user)
    services.building_delete(building=building, actor=request.user)
    return Status(204, None)
