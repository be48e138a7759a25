"""What the sign-up tests share: a resident registered with a known name, ID number and mobile."""

from wangge.geo.scope import Scope
from wangge.people.models import Building, Person
from wangge.people.services.persons import resident_create

from .ids import id_number

PASSWORD = "Qingshui-Lu-2026"


def make_resident(grid, *, name: str = "李秀英", phone: str = "13903710001") -> Person:
    building = Building.objects.filter(grid_code=grid.code).order_by("pk").first()
    return resident_create(scope=Scope.district(), building=building, unit="1", room="502", id_number=id_number(female=True), name=name, phone=phone)
