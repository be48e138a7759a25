"""The one pagination of list endpoints and pages: bounded, so that no page request can overflow."""

from django.core.paginator import Page, Paginator
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 10**9


class Paged(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Shown:
    """A queryset whose page is turned into response dicts only after it has been cut,
    so that a list endpoint shapes (and masks) one page, not the whole table."""

    def __init__(self, queryset, shape, count=None) -> None:
        """`count`, when given, answers how many items there are instead of COUNT(*) over the
        queryset (a summary that knows it)."""
        self.queryset, self.shape, self._count = queryset, shape, count

    def __getitem__(self, page: slice) -> list:
        return [self.shape(item) for item in self.queryset[page]]

    def all(self) -> "Shown":
        return self

    def count(self) -> int:
        return self._count() if self._count else self.queryset.count()


PAGE_SIZE = 50


def page_of(items, number, *, size: int = PAGE_SIZE) -> Page:
    """The page `number` (as the query string gives it) of a page's table: a page number that is
    not one, or past the end, shows the nearest page rather than an error."""
    return Paginator(items, size).get_page(number)
