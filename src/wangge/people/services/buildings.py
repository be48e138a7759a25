"""Writes to buildings. A building's grid follows from its location in the active layer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from wangge.geo.locator import active_index, index_for_layer
from wangge.geo.models import Division, GridLayer
from wangge.geo.scope import Scope

from ..models import Building, Household, Person
from ..permissions import acting_scope, can_edit_buildings, require, require_covered, require_found
from ..selectors.buildings import building_list

EDITABLE = ("compound", "name", "lon", "lat", "households", "population")
REFUSED = "没有权限维护楼栋"


def address_of(community: Division, compound: str, name: str) -> str:
    """The GB/T 39609 address: district, subdistrict, community, street or compound, building."""
    subdistrict = community.parent
    district = subdistrict.parent if subdistrict else None
    return "".join(d.name for d in (district, subdistrict, community) if d) + compound + name


def _place(building: Building, scope: Scope) -> None:
    """Locate the building; it must stand in a grid of its own community, inside the scope."""
    index = active_index()
    codes = index.codes_at(building.lon, building.lat) if index else [""]
    building.grid_code = codes[0]
    if not building.grid_code:
        raise ValidationError({"lon": f"位置 ({building.lon}, {building.lat}) 不在本区任何网格内"})
    if building.grid_code[:12] != building.community.code:
        raise ValidationError({"community": f"位置在社区 {building.grid_code[:12]} 的网格内，与所属社区 {building.community.code} 不符"})
    if not scope.covers(building.grid_code):
        raise ValidationError({"lon": "位置不在您负责的范围内"})


def _refresh_grid_counts() -> None:
    from wangge.geo.selectors import active_layer
    from wangge.geo.services import grid_counts_refresh

    layer = active_layer()
    if layer is not None:
        grid_counts_refresh(layer=layer)


@transaction.atomic
def building_create(*, scope: Scope, community: Division, actor=None, **fields) -> Building:
    require(actor, can_edit_buildings, REFUSED)
    scope = acting_scope(actor, scope)
    require_covered(scope.widened_to_community(), community.code)  # a grid's worker names its community
    building = Building(community=community, **{k: fields[k] for k in EDITABLE if k in fields})
    building.address = address_of(community, building.compound, building.name)
    building.full_clean(exclude=["grid_code"])
    _place(building, scope)
    building.save()
    _refresh_grid_counts()
    return building


@transaction.atomic
def building_update(*, scope: Scope, building: Building, actor=None, **fields) -> Building:
    require(actor, can_edit_buildings, REFUSED)
    scope = acting_scope(actor, scope)
    require_found(building_list(scope), building)
    changed = [k for k in EDITABLE if k in fields and fields[k] is not None]
    for key in changed:
        setattr(building, key, fields[key])
    building.address = address_of(building.community, building.compound, building.name)
    building.full_clean(exclude=["grid_code"])
    _place(building, scope)
    building.save(update_fields=[*changed, "address", "grid_code"])
    _refresh_grid_counts()
    return building


@transaction.atomic
def building_delete(*, building: Building, actor=None) -> None:
    """Remove a building and its empty dwellings; a building with registered residents stays."""
    require(actor, can_edit_buildings, REFUSED)
    require_found(building_list(acting_scope(actor)), building)
    if Person.objects.filter(household__building=building).exists():
        raise ValidationError({"building": "楼栋内还有登记的居民，请先办理迁出再删除楼栋"})
    try:
        with transaction.atomic():
            Household.objects.filter(building=building).delete()
            building.delete()
    except ProtectedError:
        # Named by a record of an app above: a compound holding it, its dwellings' owners.
        raise ValidationError({"building": "楼栋仍被其他记录引用（如所属小区及其房屋），不能删除"}) from None
    _refresh_grid_counts()


def buildings_regrid(*, layer: GridLayer) -> int:
    """Give every building the code of its grid in `layer`; returns how many changed."""
    index = index_for_layer(layer.pk, str(layer.uid))
    buildings = list(Building.objects.only("pk", "lon", "lat", "grid_code"))
    codes = index.codes_at([b.lon for b in buildings], [b.lat for b in buildings]) if buildings else []
    changed = [b for b, code in zip(buildings, codes, strict=True) if b.grid_code != code]
    for building, code in zip(buildings, codes, strict=True):
        building.grid_code = code
    Building.objects.bulk_update(changed, ["grid_code"], batch_size=1000)
    return len(changed)
