"""Writes to service facilities and the district's kinds of them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wangge.geo.geometry.validation import point_checked
from wangge.geo.locator import grid_at
from wangge.geo.models import Division

from ..models_facilities import Facility, FacilityKind
from .permissions import NOT_FOUND, covers, require_facility_keeper, require_kind_keeper


def _text(value, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise ValidationError({field: f"{label}应为文字"})
    if required and not value:
        raise ValidationError({field: f"请填写{label}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过 {max_length} 字"})
    return value


@transaction.atomic
def facility_kind_create(*, actor, code: str, name: str, order: int = 100) -> FacilityKind:
    require_kind_keeper(actor)
    kind = FacilityKind(code=_text(code, "code", "类型代码", 32), name=_text(name, "name", "类型名称", 30), order=order)
    if FacilityKind.objects.filter(code=kind.code).exists():
        raise ValidationError({"code": f"类型代码「{kind.code}」已存在"})
    if FacilityKind.objects.filter(name=kind.name).exists():
        raise ValidationError({"name": f"类型名称「{kind.name}」已存在"})
    kind.full_clean()
    kind.save()
    return kind


def _community(actor, code: str) -> str:
    # A community out of scope reads as one that does not exist.
    if not Division.objects.filter(kind=Division.Kind.COMMUNITY, code=code or "").exists() or not covers(actor, code):
        raise ValidationError({"community_code": "请选择所辖社区"})
    return code


def _capacity(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100000:
        raise ValidationError({"capacity": "容纳人数应为 1 至 100000 的整数"})
    return value


@transaction.atomic
def facility_save(
    *, actor, kind_code: str, name: str, community_code: str, lon, lat, address: str, hours: str = "", capacity: int | None = None,
    project_number: str = "", status: str = Facility.Status.OPEN, facility: Facility | None = None,
) -> Facility:
    """Add a facility, or change `facility`. Its point must lie in its community's grids."""
    if actor is not None:
        require_facility_keeper(actor)
    if facility is not None and not covers(actor, facility.community_code):
        raise PermissionDenied(NOT_FOUND)
    kind = FacilityKind.objects.filter(code=kind_code or "").first()
    if kind is None:
        raise ValidationError({"kind_code": "请选择设施类型"})
    community_code = _community(actor, community_code)
    lon, lat = point_checked(lon, lat)
    grid = grid_at(lon, lat)
    if grid is None:
        raise ValidationError({"lon": "该位置不在本区任何网格内，请核对经纬度"})
    if not grid.startswith(community_code):
        raise ValidationError({"lon": "该位置不在所选社区内，请核对经纬度或社区"})
    if status not in Facility.Status.values:
        raise ValidationError({"status": "请选择状态：开放或维护中暂停开放"})
    item = facility or Facility()
    item.kind, item.name, item.community_code, item.lon, item.lat = kind, _text(name, "name", "名称", 60), community_code, lon, lat
    item.address, item.hours = _text(address, "address", "地址", 200), _text(hours, "hours", "开放时间", 100, required=False)
    item.capacity, item.project_number = _capacity(capacity), _text(project_number, "project_number", "建设项目编号", 32, required=False)
    item.status = status
    item.full_clean()
    item.save()
    return item
