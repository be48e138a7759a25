"""Which cases lie in which compound: a case reported at a building the compound holds (by the
building's address, which a report by address takes from the registry, and the demo's cases
carry) is linked to it once. One INSERT … SELECT over the cases not linked yet, run by the
worker (`property.link_cases`) and again before a round's inputs are counted."""

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
WHERE c.address <> '' AND NOT EXISTS (SELECT 1 FROM {CompoundCase._meta.db_table} x WHERE x.case_id = c.id)
GROUP BY c.id
"""  # noqa: S608 - table names only


def compound_cases_link() -> int:
    """Link the cases reported at a compound's buildings since the last run; how many."""
    with rows.cursor() as cursor:
        cursor.execute(_LINK)
        return cursor.rowcount
