"""Summaries of the case table (`CaseTally`, `CaseMonth`) that figures over millions of cases
add up instead of reading every case, and the PostgreSQL triggers that keep them true.

The triggers are statement-level with transition tables: after any INSERT, UPDATE or DELETE on
the case table, whoever sends it (the services, bulk_create, a raw UPDATE, a restore), the rows
it touched are grouped and their counts added to (new rows) or taken from (old rows) the
summaries, in the same transaction. A statement that changes nothing a summary keeps (a new
description) touches no summary row. TRUNCATE empties them.

SQLite has no statement-level triggers or transition tables, and a single machine's cases are
few enough to count directly: there nothing keeps the summaries and the readers count the cases
(`in_use()`). The month is the local month of `settings.TIME_ZONE` at installation; after
changing it run `wangge cases summaries rebuild`, which also installs the triggers again.
"""

from django.conf import settings
from django.db import connection, transaction

from .workflow import OPEN

TALLY = "cases_casetally"
MONTH = "cases_casemonth"
TALLY_KEY = "family, grid_code, status, category_id, department_id, merged"
TALLY_MEASURES = ("n", "open", "closed", "on_time", "reopened", "ever_closed", "to_close_us", "to_close_n", "rating_sum", "ratings")
MONTH_KEY = "basis, month, grid_code, category_id, department_id"
MONTH_MEASURES = ("n", "open", "on_time")
# The open statuses, written into the triggers (a new status in the workflow needs a rebuild).
_OPEN = "status IN (" + ", ".join(f"'{status}'" for status in OPEN) + ")"
_CLOSED = "status = 'closed'"


def in_use() -> bool:
    """Whether the summaries are kept (PostgreSQL) and so the figures read them."""
    return connection.vendor == "postgresql"


def _tally_rows(table: str, sign: int) -> str:
    """The tally's three families of the rows of `table`, counted with `sign`."""
    measures = f"""
        {sign} * count(*), {sign} * count(*) FILTER (WHERE {_OPEN}), {sign} * count(*) FILTER (WHERE {_CLOSED}),
        {sign} * count(*) FILTER (WHERE {_CLOSED} AND on_time), {sign} * count(*) FILTER (WHERE reopen_count > 0),
        {sign} * count(*) FILTER (WHERE {_CLOSED} OR reopen_count > 0),
        {sign} * coalesce(sum((extract(epoch FROM closed_at - reported_at) * 1000000)::bigint) FILTER (WHERE {_CLOSED} AND closed_at IS NOT NULL), 0),
        {sign} * count(*) FILTER (WHERE {_CLOSED} AND closed_at IS NOT NULL),
        {sign} * coalesce(sum(rating) FILTER (WHERE {_CLOSED} AND rating IS NOT NULL), 0), {sign} * count(*) FILTER (WHERE {_CLOSED} AND rating IS NOT NULL)"""
    return f"""
        SELECT 'g', grid_code, '', 0::bigint, 0::bigint, false, {measures}
        FROM {table} WHERE duplicate_of_id IS NULL GROUP BY grid_code
        UNION ALL
        SELECT 'd', grid_code, '', 0::bigint, department_id, false, {measures}
        FROM {table} WHERE duplicate_of_id IS NULL AND department_id IS NOT NULL GROUP BY grid_code, department_id
        UNION ALL
        SELECT 'l', grid_code, status, category_id, 0::bigint, duplicate_of_id IS NOT NULL, {measures}
        FROM {table} GROUP BY grid_code, status, category_id, duplicate_of_id IS NOT NULL"""


def _month_rows(table: str, sign: int, zone: str) -> str:
    def month(column: str) -> str:
        return f"date_trunc('month', {column} AT TIME ZONE '{zone}')::date"

    return f"""
        SELECT 'r', {month('reported_at')}, grid_code, category_id, 0::bigint,
               {sign} * count(*), {sign} * count(*) FILTER (WHERE {_OPEN}), 0
        FROM {table} WHERE duplicate_of_id IS NULL GROUP BY 2, 3, 4
        UNION ALL
        SELECT 'c', {month('closed_at')}, grid_code, 0::bigint, coalesce(department_id, 0),
               {sign} * count(*), 0, {sign} * count(*) FILTER (WHERE on_time)
        FROM {table} WHERE duplicate_of_id IS NULL AND {_CLOSED} AND closed_at IS NOT NULL GROUP BY 2, 3, 5"""


def _apply(parts: list[str], target: str, key: str, measures: tuple[str, ...]) -> str:
    """Add the signed rows to the summary: one upsert per key, in key order (so that two
    statements lock shared rows in the same order), skipping keys whose changes cancel out."""
    columns = f"{key}, {', '.join(measures)}"
    sums = ", ".join(f"sum({m})" for m in measures)
    nonzero = " OR ".join(f"sum({m}) <> 0" for m in measures)
    updates = ", ".join(f"{m} = {target}.{m} + EXCLUDED.{m}" for m in measures)
    return f"""
        INSERT INTO {target} ({columns})
        SELECT {key}, {sums} FROM ({' UNION ALL '.join(parts)}) AS delta ({columns})
        GROUP BY {key} HAVING {nonzero} ORDER BY {key}
        ON CONFLICT ({key}) DO UPDATE SET {updates};"""


def _function(operation: str, zone: str) -> str:
    tables = {"INSERT": [("new_rows", 1)], "DELETE": [("old_rows", -1)], "UPDATE": [("new_rows", 1), ("old_rows", -1)]}[operation]
    tally = _apply([_tally_rows(t, s) for t, s in tables], TALLY, TALLY_KEY, TALLY_MEASURES)
    month = _apply([_month_rows(t, s, zone) for t, s in tables], MONTH, MONTH_KEY, MONTH_MEASURES)
    return f"""
        CREATE OR REPLACE FUNCTION case_summaries_{operation.lower()}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {tally} {month} RETURN NULL; END $$;"""


def install_sql(zone: str) -> list[str]:
    statements = []
    for operation, referencing in (("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                                   ("DELETE", "OLD TABLE AS old_rows")):
        name = f"case_summaries_{operation.lower()}"
        statements += [
            _function(operation, zone),
            f"DROP TRIGGER IF EXISTS {name} ON cases_case",
            f"CREATE TRIGGER {name} AFTER {operation} ON cases_case REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        ]
    statements += [
        f"""CREATE OR REPLACE FUNCTION case_summaries_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN DELETE FROM {TALLY}; DELETE FROM {MONTH}; RETURN NULL; END $$""",
        "DROP TRIGGER IF EXISTS case_summaries_truncate ON cases_case",
        "CREATE TRIGGER case_summaries_truncate AFTER TRUNCATE ON cases_case FOR EACH STATEMENT EXECUTE FUNCTION case_summaries_truncate()",
    ]
    return statements


def rebuild_sql(zone: str) -> list[str]:
    return [
        f"DELETE FROM {TALLY}",
        f"DELETE FROM {MONTH}",
        f"INSERT INTO {TALLY} ({TALLY_KEY}, {', '.join(TALLY_MEASURES)}) {_tally_rows('cases_case', 1)}",
        f"INSERT INTO {MONTH} ({MONTH_KEY}, {', '.join(MONTH_MEASURES)}) {_month_rows('cases_case', 1, zone)}",
    ]


@transaction.atomic
def summaries_rebuild(using=None) -> tuple[int, int]:
    """Install the triggers and recount both summaries from the cases, under a lock that holds
    writers off meanwhile (on SQLite, nothing). Returns the summary rows written."""
    if not in_use():
        return 0, 0
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE cases_case IN SHARE MODE")
        for statement in install_sql(settings.TIME_ZONE) + rebuild_sql(settings.TIME_ZONE):
            cursor.execute(statement)
        cursor.execute(f"SELECT (SELECT count(*) FROM {TALLY}), (SELECT count(*) FROM {MONTH})")
        return cursor.fetchone()
