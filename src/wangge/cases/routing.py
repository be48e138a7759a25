"""Where a case goes without the dispatcher choosing: apps above cases register routers.

A router looks at an accepted case and may name the department that must handle it, with the
instructions the dispatch carries (Red Property: a property case in a compound goes to the
compound's company). Cases knows no router's app; the first router to answer wins.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Case, Department


@dataclass(frozen=True)
class Route:
    department: Department
    instructions: str


Router = Callable[[Case], Route | None]
_routers: list[Router] = []


def register_dispatch_router(router: Router) -> None:
    if router not in _routers:
        _routers.append(router)


def route_of(case: Case) -> Route | None:
    """The department a registered router sends this case to, or None (the dispatcher chooses)."""
    for router in _routers:
        if (route := router(case)) is not None and route.department.active:
            return route
    return None
