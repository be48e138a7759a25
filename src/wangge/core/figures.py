"""What the dashboards show, as each app declares it; the dashboard only composes.

- `register_figures(app, figures)`: the app's share of the headline, `figures(scope) -> dict`.
- `describe_figure(key, ...)`: how a headline key is published (label, unit, caption) and where
  the records behind it are: a `records(scope) -> Records` function or a path of a page that
  is already scoped.
- `describe_figures(prefix, describe)`: the same for a family of keys named by records (a
  category per key), described when asked.
- `register_grid_figure(key, ...)`: a figure per level-3 grid for the map; the dashboard adds
  the parts up the grid tree, so rates are computed from summed parts, never averaged.
- `register_chart(key, ...)`: a chart of the charts page, given as a table.

No app reaches into another's tables; each computes its own figures within the caller's scope.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_FIGURES: dict[str, Callable] = {}
_DESCRIPTIONS: dict[str, "FigureInfo"] = {}
_GRID_FIGURES: dict[str, "GridFigure"] = {}
_CHARTS: dict[str, "Chart"] = {}
_FAMILIES: dict[str, Callable[[str], "FigureInfo | None"]] = {}


@dataclass(frozen=True)
class Named:
    """A cell that names a node: the page shows the name with the code on hover, a file the name."""

    name: str
    code: str

    def __str__(self) -> str:
        return self.name or self.code


@dataclass(frozen=True)
class Records:
    """The rows behind a figure: `rows` is a queryset or list, `row(obj)` its cells, and
    `link(obj)` an optional page of one record. Personal data in cells must come masked.
    `sorts` maps the columns that may be sorted to the field(s) they order by, `search` the
    fields the records page's search looks in (both of `rows`' model). `prepare(objects)`, when
    given, is called with each page (or chunk of an export) before `row`, to look names up at once."""

    title: str
    columns: list[str]
    rows: object
    row: Callable
    link: Callable | None = None
    sorts: dict = field(default_factory=dict)
    search: tuple[str, ...] = ()
    prepare: Callable | None = None

    def rows_of(self, objects: list) -> list[list]:
        if self.prepare is not None:
            self.prepare(objects)
        return [self.row(obj) for obj in objects]


@dataclass(frozen=True)
class FigureInfo:
    key: str
    label: str
    unit: str = ""
    caption: str = ""
    section: str = "其他"
    percent: bool = False  # a share from 0 to 1, published as a percentage
    records: Callable | str | None = None  # records(scope) -> Records, or a scoped page's path


@dataclass(frozen=True)
class GridFigure:
    """`parts(scope) -> {level-3 grid code: tuple}`: one count for a sum, (part, whole) for a rate."""

    key: str
    label: str
    unit: str
    parts: Callable
    rate: bool = False


@dataclass(frozen=True)
class Table:
    """`partial`, when a row covers a period not over yet (the current month):
    {"row": its index, "through": the last day counted (ISO date), "label": how to name it}."""

    columns: list[str]
    rows: list[list] = field(default_factory=list)
    partial: dict | None = None


@dataclass(frozen=True)
class Chart:
    """`table(scope) -> Table`; the first column names the categories, `series` the columns
    drawn (indices into `columns`)."""

    key: str
    title: str
    kind: str  # "bar" or "line"
    table: Callable
    series: tuple[int, ...] = (1,)
    percent: bool = False
    order: int = 0


def register_figures(app: str, function: Callable) -> None:
    _FIGURES[app] = function


def headline(scope) -> dict:
    result: dict = {}
    for app in sorted(_FIGURES):
        result.update(_FIGURES[app](scope))
    return result


def describe_figure(key: str, label: str, **info) -> None:
    _DESCRIPTIONS[key] = FigureInfo(key=key, label=label, **info)


def describe_figures(prefix: str, describe: Callable[[str], "FigureInfo | None"]) -> None:
    """How the keys under `prefix.` are published when they are records, not code (one per
    category a district keeps): `describe(rest_of_key)` answers the figure's info, or None."""
    _FAMILIES[prefix] = describe


def figure_info(key: str) -> FigureInfo:
    if key in _DESCRIPTIONS:
        return _DESCRIPTIONS[key]
    prefix, _, rest = key.partition(".")
    described = _FAMILIES[prefix](rest) if prefix in _FAMILIES and rest else None
    return described or FigureInfo(key=key, label=key)


def register_grid_figure(key: str, label: str, unit: str, parts: Callable, *, rate: bool = False) -> None:
    _GRID_FIGURES[key] = GridFigure(key=key, label=label, unit=unit, parts=parts, rate=rate)


def grid_figures() -> dict[str, GridFigure]:
    return dict(_GRID_FIGURES)


def register_chart(key: str, title: str, kind: str, table: Callable, **options) -> None:
    _CHARTS[key] = Chart(key=key, title=title, kind=kind, table=table, **options)


def charts() -> list[Chart]:
    return sorted(_CHARTS.values(), key=lambda c: (c.order, c.key))


def chart_get(key: str) -> Chart | None:
    return _CHARTS.get(key)
