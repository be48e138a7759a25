"""Resources, needs and providers at known places of the demo district, made through the services."""

from itertools import count

from tests.personas import Person
from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.matching.resources import resource_create
from wangge.matching.services import need_gather
from wangge.people.models import Building

_names = count(1)


def point_in(grid, nth: int = 0) -> tuple[float, float]:
    """A registered building's point in the grid (the locator places it there)."""
    building = Building.objects.filter(grid_code=grid.code).order_by("pk")[nth]
    return building.lon, building.lat


def provider(username: str) -> Person:
    user = User.objects.create(username=username, full_name=username, role=Role.RESOURCE_PROVIDER)
    return Person(user, token_issue(user=user))


def resource_values(grid, **changes) -> dict:
    lon, lat = point_in(grid)
    return {
        "name": f"资源{next(_names)}", "kind": "venue", "serves": [], "provider_kind": "unit", "provider_name": "区图书馆", "capacity": 2,
        "weekdays": [1, 2, 3, 4, 5, 6, 7], "opens_at": 8, "closes_at": 18, "lon": lon, "lat": lat, **changes,
    }


def resource_in(grid, *, owner=None, **changes):
    return resource_create(actor=owner, values=resource_values(grid, **changes))


def need_values(grid, **changes) -> dict:
    lon, lat = point_in(grid, 1)
    return {
        "category": "文体活动", "kind": "venue", "beneficiary": "elderly", "quantity": 1, "urgency": 3, "description": "老年人活动需要场地",
        "lon": lon, "lat": lat, "name": "张三", "phone": "13800138000", **changes,
    }


def need_in(grid, *, actor=None, **changes):
    return need_gather(actor=actor, values=need_values(grid, **changes))
