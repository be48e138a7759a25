"""Where a resource or a need is: a checked point of the district, with its community and grid."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from wangge.geo.geometry.validation import point_checked
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
    lon, lat = point_checked(lon, lat)
    found = locate(lon, lat)
    if found is None:
        raise ValidationError({"lon": OUTSIDE_THE_DISTRICT})
    grid = found["grids"]["3"]
    if within is not None and not within.covers(grid):
        raise ValidationError({"lon": OUTSIDE_THE_SCOPE})
    return Place(lon, lat, found["community"], grid)
