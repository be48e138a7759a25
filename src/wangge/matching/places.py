"""Where a resource or a need is: a checked point of the district, with its community and grid."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from wangge.geo.geometry.validation import is_finite_number
from wangge.geo.locator import locate
from wangge.geo.scope import Scope

OUTSIDE_THE_DISTRICT = "该位置不在本区任何网格内，请核对经纬度"
OUTSIDE_THE_SCOPE = "该位置不在您的管辖范围内"


@dataclass(frozen=True)
class Place:
    lon: float
    lat: float
    community_code: str
    grid_code: str


def place_of(lon, lat, *, within: Scope | None = None) -> Place:
    """The point as a place of the district (its community and level-3 grid), or a
    ValidationError naming lon or lat; when `within` is given, the point must lie in it."""
    if not (is_finite_number(lon) and -180 <= lon <= 180):
        raise ValidationError({"lon": "经度应为 -180 至 180 之间的数"})
    if not (is_finite_number(lat) and -90 <= lat <= 90):
        raise ValidationError({"lat": "纬度应为 -90 至 90 之间的数"})
    found = locate(float(lon), float(lat))
    if found is None:
        raise ValidationError({"lon": OUTSIDE_THE_DISTRICT})
    grid = found["grids"]["3"]
    if within is not None and not within.covers(grid):
        raise ValidationError({"lon": OUTSIDE_THE_SCOPE})
    return Place(float(lon), float(lat), found["community"], grid)
