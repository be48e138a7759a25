"""Paging, sorting, searching and exporting of the back office's tables, the same way on every page.

A page passes its (already scoped) rows through `table_page`; the template renders them with
`shell/pager.html`, `shell/sort_link.html` and `shell/export.html`, which keep the other query
parameters. Asked `?export=xlsx`, the page answers `table_export` of the same rows instead: the
same scope, search and order, every page of them, as a workbook."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from .audit import audit_record
from .error_shape import error_page
from .sheets import XLSX, workbook_bytes

PER_PAGE = 20
EXPORT_CHUNK = 500  # rows handed to a page's `cells` at a time, so that its look-ups are batched
NOT_FILTERS = {"page", "export"}
Sorts = dict[str, str | tuple[str, ...]]  # a column's key -> the field(s) it orders by


@dataclass(frozen=True)
class Table:
    page: Page
    sort: str  # the column key the rows are sorted by, "-" first when descending
    query: str  # the search words given, stripped

    @property
    def rows(self) -> list:
        return list(self.page.object_list)


def _field(row, name: str):
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def _order(row, name: str) -> tuple:
    value = _field(row, name)
    return (value is None, value if value is not None else 0)  # empty values last


def table_rows(request, rows, *, sorts: Sorts | None = None, default_sort: str = "",
               search: tuple[str, ...] = ()) -> tuple[QuerySet | list, str, str]:
    """`rows` narrowed by the request's `q` and ordered by its `sort`, with the sort and the
    words that were applied. `sorts` maps the column keys a page offers to fields (of a model,
    or keys of dicts in a list; a tuple orders a queryset by several); an unknown key falls back to `default_sort`, so that a crafted
    parameter never reaches `order_by`. `search` names the fields the words are looked for in
    (any of them, case-insensitively)."""
    query = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "") or default_sort
    key = sort.removeprefix("-")
    if not (sorts and key in sorts):
        sort, key = default_sort, default_sort.removeprefix("-")
    field = (sorts or {}).get(key)
    descending = sort.startswith("-")
    if isinstance(rows, QuerySet):
        if query and search:
            match = Q()
            for name in search:
                match |= Q(**{f"{name}__icontains": query})
            rows = rows.filter(match)
        if field:
            fields = (field,) if isinstance(field, str) else field
            rows = rows.order_by(*(f"-{name}" if descending else name for name in fields), "-pk" if descending else "pk")
    else:
        rows = list(rows)
        if query and search:
            words = query.casefold()
            rows = [row for row in rows if any(words in str(_field(row, name) or "").casefold() for name in search)]
        if field:
            rows.sort(key=lambda row: _order(row, field), reverse=descending)
    return rows, sort, query


def table_page(request, rows, *, sorts: Sorts | None = None, default_sort: str = "",
               search: tuple[str, ...] = (), per_page: int = PER_PAGE) -> Table:
    """One page of `rows` as asked by the request's `page`, `sort` and `q` parameters."""
    rows, sort, query = table_rows(request, rows, sorts=sorts, default_sort=default_sort, search=search)
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    return Table(page=page, sort=sort, query=query)


def exporting(request) -> bool:
    return request.GET.get("export") == "xlsx"


def table_export(request, rows, *, table: str, title: str, columns: Sequence[str],
                 cells: Callable[[list], Iterable[Sequence]], sorts: Sorts | None = None,
                 default_sort: str = "", search: tuple[str, ...] = ()) -> HttpResponse:
    """Every row of the table as an .xlsx file: `rows` (already scoped and filtered as the page
    filters them) searched and sorted as the page does, `cells(objects)` giving the cells the
    page shows for a chunk of them (names rather than codes). Past `WANGGE_EXPORT_MAX_ROWS` rows
    (a file too big to read and too easy to take away whole) the answer
    is a Chinese refusal, not a file cut short. Each export is audited as `export.table` with
    the table, its filters and the number of rows; so is a refusal."""
    rows, _, _ = table_rows(request, rows, sorts=sorts, default_sort=default_sort, search=search)
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    filters = {key: value for key, value in request.GET.items() if key not in NOT_FILTERS and value}
    cap = settings.WANGGE_EXPORT_MAX_ROWS
    if count > cap:
        audit_record(action="export.table", result="denied", object_type="table", object_id=table,
                     after={"filters": filters, "rows": count}, detail="超过导出上限")
        return error_page(request, 400, f"共 {count:,} 行，超过导出上限 {cap:,} 行：请缩小搜索或筛选范围后再导出")
    objects = list(rows[:cap])

    def lines():
        for start in range(0, len(objects), EXPORT_CHUNK):
            yield from cells(objects[start:start + EXPORT_CHUNK])

    content = workbook_bytes(title=title, columns=columns, rows=lines(),
                             notes=[f"共 {count:,} 行，导出于 {timezone.localtime():%Y-%m-%d %H:%M}，范围为导出人可见的数据。"])
    audit_record(action="export.table", object_type="table", object_id=table, after={"filters": filters, "rows": count})
    filename = f"{title}（{timezone.localdate():%Y%m%d}）.xlsx"
    return HttpResponse(content, content_type=XLSX, headers={"Content-Disposition": content_disposition_header(True, filename)})
