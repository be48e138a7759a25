"""Cases made through the services, at a real point of a grid."""

from wangge.cases.models import Case, Category
from wangge.cases.services import case_report
from wangge.people.models import Building


def point_in(grid) -> tuple[float, float]:
    building = Building.objects.filter(grid_code=grid.code).order_by("pk").first()
    return building.lon, building.lat


def case_in(people, grid, *, category: str = "exposed_garbage", client_id: str = "", reporter=None) -> Case:
    """A reported case in `grid`, by that grid's worker unless told otherwise."""
    if reporter is None and people is not None:
        reporter = (people.grid_worker if grid == people.home_grid else people.other_grid_worker).user
    lon, lat = point_in(grid)
    case, _ = case_report(reporter=reporter, category=Category.objects.get(code=category), description="路边暴露垃圾", lon=lon, lat=lat, client_id=client_id)
    return case
