"""The named people every test speaks of, each attached to one node of the demo district."""

from dataclasses import dataclass

from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.geo.models import Division, Grid


@dataclass
class Person:
    user: User
    token: str


@dataclass
class Personas:
    district_official: Person
    subdistrict_official: Person
    community_official: Person
    grid_worker: Person  # in a grid of the community official's community
    other_grid_worker: Person  # in a grid of another subdistrict
    department_handler: Person
    resident: Person
    home_grid: Grid
    other_grid: Grid

    @classmethod
    def create(cls) -> "Personas":
        grids = Grid.objects.filter(layer__is_active=True, level=3).order_by("code")
        home, other = grids.first(), grids.last()
        community = home.community
        subdistrict = community.parent
        district = Division.objects.get(kind=Division.Kind.DISTRICT)

        def person(username: str, role: str, scope: str) -> Person:
            user = User.objects.create(username=username, full_name=username, role=role, scope_code=scope)
            return Person(user, token_issue(user=user))

        return cls(
            district_official=person("district_official", Role.DISTRICT_OFFICIAL, district.code),
            subdistrict_official=person("subdistrict_official", Role.SUBDISTRICT_OFFICIAL, subdistrict.code),
            community_official=person("community_official", Role.COMMUNITY_OFFICIAL, community.code),
            grid_worker=person("grid_worker", Role.GRID_WORKER, home.code),
            other_grid_worker=person("other_grid_worker", Role.GRID_WORKER, other.code),
            department_handler=person("department_handler", Role.DEPARTMENT_HANDLER, district.code),
            resident=person("resident", Role.RESIDENT, ""),
            home_grid=home,
            other_grid=other,
        )
