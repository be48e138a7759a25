"""Which cases lie in which compound: a case reported at a building the compound holds (by the
building's address, which a report by address takes from the registry, and the demo's cases
carry) is linked to it once. One INSERT … SELECT over the cases not linked yet, run by the
worker (`property.link_cases`) and again before a round's inputs are counted."""

from datetime import UTC, datetime

from wangge.cases.models import Case
from wangge.core import rows
from wangge.people.models import Building

from ..models.compounds import CompoundBuilding
from ..models.rating import CompoundCase

_LINK = f"""
INSERT INTO {CompoundCase._meta.db_table} (case_id, compound_id)
SELECT c.id, MIN(h.compound_id)
FROM {Case._meta.db_table} c
JOIN {Building._meta.db_table} b ON b.address = c.address
JOIN {CompoundBuilding._meta.db_table} h ON h.building_id = b.id
WHERE c.address <> '' AND c.reported_at >= %s AND NOT EXISTS (SELECT 1 FROM {CompoundCase._meta.db_table} x WHERE x.case_id = c.id)
GROUP BY c.id
"""  # noqa: S608 - table names only


def compound_cases_link(*, since: datetime | None = None) -> int:
    """Link the cases reported at a compound's buildings (since `since`, else all) not linked
    yet; how many. The worker looks back a few days only, so a round does not rescan the years
    of cases that lie in no compound; a round's review links them all once."""
    with rows.cursor() as cursor:
        cursor.execute(_LINK, [since or datetime(1970, 1, 1, tzinfo=UTC)])
        return cursor.rowcount
