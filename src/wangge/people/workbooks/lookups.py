"""What the kinds of workbook look up for their rows: loaded once per file, never per row."""

import re
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Choices, QuerySet

from wangge.geo.models import Grid
from wangge.geo.scope import Scope
from wangge.geo.selectors import basic_grids

from ..identity import parse_id_number
from ..models import Person
from ..selectors.persons import people_in_scope
from ..services.persons import id_digest
from .sheets import Problems, Row

YES_NO = {"是": True, "否": False}
LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
QUERY_CHUNK = 1000  # values per IN (...) list: well inside every database's parameter limit
NOT_REGISTERED = "该身份证号未登记，请先登记该人员"


def labels(choices: type[Choices]) -> dict[str, str]:
    """A model's choices as the sheet spells them: label -> stored value."""
    return {label: value for value, label in choices.choices}


def split_list(text: str) -> list[str]:
    """`a、b、c` (commas and semicolons are forgiven) as a list without repeats."""
    return list(dict.fromkeys(part for part in LIST_SEPARATORS.split(text or "") if part))


def grids_by_code(scope: Scope, codes: Iterable[str]) -> dict[str, Grid]:
    """The basic grids in scope among `codes` (outlines left unread)."""
    grids = basic_grids(scope).filter(code__in=set(codes)).select_related("layer", "community").defer("geometry", "community__geometry")
    return {g.code: g for g in grids}


def rows_grids(scope: Scope, rows: Iterable[Row], key: str) -> dict[str, Grid]:
    """The grids in scope that the rows name in column `key` (one or several codes a cell)."""
    return grids_by_code(scope, (code for row in rows for code in split_list(row.values[key])))


def unknown_grid(code: str) -> str:
    # Out of scope reads the same as unknown: nobody learns what lies beyond their scope.
    return f"网格 {code} 不存在或不在您负责的范围内"


def row_grids(row: Row, key: str, grids: dict[str, Grid], problems: Problems) -> list[Grid]:
    codes = split_list(row.values[key])
    unknown = [code for code in codes if code not in grids]
    if unknown:
        problems.add(row.number, key, unknown_grid("、".join(unknown)))
    return [grids[code] for code in codes if code in grids]


def row_grid(row: Row, key: str, grids: dict[str, Grid], problems: Problems) -> Grid | None:
    found = row_grids(row, key, grids, problems)
    if len(split_list(row.values[key])) > 1:
        problems.add(row.number, key, "只能填写一个网格编码")
        return None
    return found[0] if found else None


def _by_digest(people: QuerySet[Person], digests: Iterable[str]) -> Iterator[QuerySet[Person]]:
    digests = sorted(set(digests))
    for start in range(0, len(digests), QUERY_CHUNK):
        yield people.filter(id_digest__in=digests[start : start + QUERY_CHUNK])


def registered_digests(people: QuerySet[Person], digests: Iterable[str]) -> set[str]:
    """Which of `digests` are registered among `people`, without loading (and decrypting) them."""
    return {d for persons in _by_digest(people, digests) for d in persons.values_list("id_digest", flat=True)}


def row_digests(rows: Iterable[Row], key: str) -> set[str]:
    """Digests of every ID number given (valid or not), to load the known persons in one go."""
    return {id_digest(row.values[key]) for row in rows if row.values[key]}


class KnownPersons:
    """The registered persons in scope that the rows name by ID number in column `key`, loaded
    once; a person outside the scope reads as not registered."""

    def __init__(self, scope: Scope, rows: Iterable[Row], key: str) -> None:
        self.key = key
        self.found = {p.id_digest: p for persons in _by_digest(people_in_scope(scope), row_digests(rows, key)) for p in persons}

    def digest(self, row: Row, problems: Problems) -> str | None:
        """The blind index of the row's ID number, or None (and a problem) when it is not valid."""
        text = row.values[self.key]
        if not text:
            return None
        try:
            return id_digest(parse_id_number(text).number)
        except ValueError as reason:
            problems.add(row.number, self.key, str(reason))
            return None

    def get(self, row: Row, digest: str | None, problems: Problems, *, name_key: str | None = "name") -> Person | None:
        """The registered person with this digest; the name the row gives must be theirs."""
        if digest is None:
            return None
        person = self.found.get(digest)
        if person is None:
            problems.add(row.number, self.key, NOT_REGISTERED)
        elif name_key and person.name != row.values[name_key]:
            problems.add(row.number, name_key, "与该身份证号登记的姓名不一致")
        return person

    def of_row(self, row: Row, problems: Problems, *, name_key: str | None = "name") -> Person | None:
        return self.get(row, self.digest(row, problems), problems, name_key=name_key)


def names_of(model) -> Callable[[], list[str]]:
    """The names kept in a list model (care categories, duties), read when a template is made."""
    return lambda: list(model.objects.values_list("name", flat=True))
