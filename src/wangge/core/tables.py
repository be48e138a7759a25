"""Paging, sorting and searching of the back office's tables, the same way on every page.

A page passes its (already scoped) rows through `table_page`; the template renders them with
`shell/pager.html` and `shell/sort_link.html`, which keep the other query parameters."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

PER_PAGE = 20


@dataclass(frozen=True)
class Table:
    page: Page
    sort: str  # the column key the rows are sorted by, "-" first when descending
    query: str  # the search words given, stripped

    @property
    def rows(self) -> list:
        return list(self.page.object_list)


def table_page(request, rows, *, sorts: dict[str, str] | None = None, default_sort: str = "",
               search: tuple[str, ...] = (), per_page: int = PER_PAGE) -> Table:
    """One page of `rows` as asked by the request's `page`, `sort` and `q` parameters.

    `sorts` maps the column keys a page offers to model fields; an unknown key falls back to
    `default_sort`, so that a crafted parameter never reaches `order_by`. `search` names the
    fields the words are looked for in (any of them, case-insensitively)."""
    query = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "") or default_sort
    if isinstance(rows, QuerySet):
        if query and search:
            match = Q()
            for field in search:
                match |= Q(**{f"{field}__icontains": query})
            rows = rows.filter(match)
        key = sort.removeprefix("-")
        if sorts and key in sorts:
            field = sorts[key]
            rows = rows.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
        else:
            sort = default_sort
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    return Table(page=page, sort=sort, query=query)
