"""Which cases lie in which compound: a case is linked once to the compound its point lies in
(`property.locating`: inside the compound's boundary, or by one of the buildings it holds). The
cases not linked yet are located set-based, a batch at a time; the worker looks at the last few
days (`property.link_cases`), a round's review at its whole year."""

from datetime import datetime

from wangge.cases.models import Case

from ..locating import compounds_at
from ..models.rating import CompoundCase

BATCH = 5000


def compound_cases_link(*, since: datetime, until: datetime | None = None) -> int:
    """Link the cases reported from `since` (until `until`) that lie in a compound and are not
    linked yet; how many were linked."""
    cases = Case.objects.filter(reported_at__gte=since, compound_link__isnull=True).order_by("pk")
    if until is not None:
        cases = cases.filter(reported_at__lt=until)
    linked, after = 0, 0
    while batch := list(cases.filter(pk__gt=after).values_list("pk", "lon", "lat")[:BATCH]):
        found = compounds_at([lon for _, lon, _ in batch], [lat for _, _, lat in batch])
        links = [CompoundCase(case_id=pk, compound_id=compound) for (pk, _, _), compound in zip(batch, found, strict=True) if compound is not None]
        CompoundCase.objects.bulk_create(links, ignore_conflicts=True)
        linked, after = linked + len(links), batch[-1][0]
    return linked
