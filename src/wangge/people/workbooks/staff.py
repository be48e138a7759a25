"""The grid staff workbook: one post a row (一格一干 多专多群).

Each row goes through `post_add`, in row order inside the import's transaction, so its rules
(one cadre per grid, a person cadre of one grid at most, a duty for specialists and groups)
hold across the rows of the file as they do against what is stored. A person is found by ID
number or registered (not as a resident); the same person may hold posts on several rows.
"""

from collections.abc import Iterator

from django.core.exceptions import ValidationError

from wangge.geo.scope import Scope

from ..masks import shown_person
from ..models import Duty, GridPost, Person
from ..selectors.staff import post_list
from ..services.persons import person_find_or_create, person_prepare
from ..services.staff import duty_named, post_add
from .lookups import KnownPersons, labels, names_of, row_grid, rows_grids
from .sheets import Column, Problems, Row

SERVICE_FIELDS = {"grid": "grid_code", "person": "name"}

COLUMNS = (
    Column("姓名", "name", required=True),
    Column("身份证号", "id_number", required=True, text=True, note="18位公民身份号码；已登记的人员按身份证号识别"),
    Column("联系电话", "phone", text=True, note="11位手机号，或带区号的固定电话"),
    Column("政治面貌", "party", choices=labels(Person.Party), note="不填为群众；已登记的人员不改动"),
    Column("网格编码", "grid_code", required=True, text=True, note="任职的三级网格的15位编码"),
    Column("岗位", "role", required=True, choices=labels(GridPost.Role), note="每个网格只有一名专职网格员、一名网格长"),
    Column("具体职责", "duty", allowed=names_of(Duty), note="专业力量、群防群治力量必填"),
)
EXPORT_HEADINGS = tuple(c.heading for c in COLUMNS)


class _Duties:
    """Duties by name, each looked up once per file."""

    def __init__(self) -> None:
        self.found: dict[str, Duty] = {}

    def get(self, row: Row, problems: Problems) -> Duty | None:
        label = row.values["duty"]
        if not label:
            return None
        if label not in self.found:
            try:
                self.found[label] = duty_named(label)
            except ValidationError as error:
                problems.add_error(row.number, error)
                return None
        return self.found[label]


def _person_fields(row: Row) -> dict:
    return {"id_number": row.values["id_number"], "name": row.values["name"], "phone": row.values["phone"], "party": row.values["party"]}


def _person(scope: Scope, row: Row, known: KnownPersons, problems: Problems, actor) -> Person | None:
    """The person of the row, registered now if unknown; None (with a problem) if invalid or
    if the number cannot be registered in scope."""
    try:
        prepared = person_prepare(**_person_fields(row))
    except ValidationError as error:
        problems.add_error(row.number, error)
        return None
    if prepared.id_digest in known.found:
        return known.get(row, prepared.id_digest, problems)
    if problems.on(row.number):
        return None
    try:
        person = known.found[prepared.id_digest] = person_find_or_create(scope=scope, actor=actor, **_person_fields(row))
    except ValidationError as error:
        problems.add_error(row.number, error)
        return None
    return person


def rows_import(*, scope: Scope, rows: list[Row], problems: Problems, actor=None) -> list[str]:
    grids = rows_grids(scope, rows, "grid_code")
    known = KnownPersons(scope, rows, "id_number")
    before = len(known.found)
    duties = _Duties()
    posts = 0
    for row in rows:
        grid = row_grid(row, "grid_code", grids, problems)
        duty = duties.get(row, problems)
        person = _person(scope, row, known, problems, actor)
        if problems.on(row.number) or grid is None or person is None:
            continue
        try:
            post_add(scope=scope, grid=grid, person=person, role=row.values["role"], duty=duty, actor=actor)
            posts += 1
        except ValidationError as error:
            problems.add_error(row.number, error, SERVICE_FIELDS)
    return [f"新增网格岗位 {posts} 个", f"新登记人员 {len(known.found) - before} 人"]


def rows_export(scope: Scope, *, unmasked: bool = False) -> Iterator[list]:
    posts = post_list(scope).select_related("grid", "person", "duty").order_by("grid__code", "pk")
    for post in posts.iterator(chunk_size=2000):
        shown = shown_person(post.person, public_role=True, unmasked=unmasked)
        yield [shown["name"], shown["id_number"], shown["phone"], shown["party"], post.grid.code, post.get_role_display(), post.duty.name if post.duty else ""]
