"""Benchmark: a rating round's case-derived inputs (cases, on-time rate, reopen rate, residents'
satisfaction from case ratings) for 5,000 compounds over 10,000,000 cases of the year on
PostgreSQL, computed set-based against a per-compound query loop on the same data in the same run.

Run from the project root (PostgreSQL must answer at BENCH_POSTGRES, default
postgres://postgres@127.0.0.1:5432/postgres), on an idle machine for the full size:

    .venv/bin/python benchmarks/bench_rating_inputs.py                 # full size: 10,000,000 cases
    .venv/bin/python benchmarks/bench_rating_inputs.py --cases 200000  # a quick look

Setup (not timed): a private database `wangge_bench_rating` (created here and dropped at the end),
migrated; 5,000 compounds spread over 138 communities of 12 subdistricts; N cases written by one
INSERT ... SELECT over generate_series (the case table's secondary indexes, constraints and
summary triggers off for the load, rebuilt after): reported over the rating's year, 3 % still
open, 2 % rejected, the rest closed, 85 % of those on time, 60 % rated 1-5, 4 % reopened once,
0.5 % merged into another case; and each case linked to one compound (`CompoundCase`, the link
the rating's inputs count from), compounds skewed (a few busy, many quiet); then VACUUM ANALYZE.

Measured (best of --repeat after one warm-up run each)
  ours:   `property.rating.inputs.case_inputs(year=, compound_ids=all 5,000)`, the round's inputs
          in one GROUP BY over the year's case links;
  anchor: the same function called once per compound (`compound_ids=[pk]`): a per-compound
          query loop computing the same inputs, on the same data in the same run;
          the script checks the two answers are equal.

Goal (from the issue): ours under 10 s over 10,000,000 cases, and at least 20 times faster than
the loop.

This is not a test; pytest does not collect it (file name bench_*.py, outside tests/).
"""

import argparse
import time

from common import best_of, bulk_loading, on_private_database

REPEAT = 3
GOAL_SECONDS = 10.0
GOAL_RATIO = 20.0
DATABASE = "wangge_bench_rating"
YEAR = 2025
COMPOUNDS, COMMUNITIES, SUBDISTRICTS = 5000, 138, 12


def _communities() -> list[int]:
    """138 communities under 12 subdistricts of the district, in the demo's code format."""
    from wangge.geo.models import Division

    district = Division.objects.create(code="410104000000", name="管城回族区", kind=Division.Kind.DISTRICT)
    subdistricts = [Division.objects.create(code=f"410104{s + 1:03d}000", name=f"第{s + 1}街道", kind=Division.Kind.SUBDISTRICT, parent=district)
                    for s in range(SUBDISTRICTS)]
    return [Division.objects.create(code=f"{subdistricts[c % SUBDISTRICTS].code[:9]}{c // SUBDISTRICTS + 1:03d}", name=f"第{c + 1}社区",
                                    kind=Division.Kind.COMMUNITY, parent=subdistricts[c % SUBDISTRICTS]).pk for c in range(COMMUNITIES)]


def _load(cursor, cases: int, communities: list[int], categories: list[int], reporter: int) -> None:
    cursor.execute(
        """INSERT INTO property_compound (name, kind, mode, community_id, boundary, created_at)
           SELECT '小区' || g, 'compound', 'market', (%(communities)s::int[])[1 + mod(g, %(n)s)], '', now()
           FROM generate_series(1, %(compounds)s) AS g""",
        {"communities": communities, "n": len(communities), "compounds": COMPOUNDS},
    )
    cursor.execute("SELECT setseed(0.25)")
    with bulk_loading(cursor, "cases_case", triggers=[f"case_summaries_{op}" for op in ("insert", "update", "delete")]):
        # r0..r5 are independent uniform numbers per row.
        cursor.execute(
            """
            INSERT INTO cases_case (number, reporter_id, client_id, category_id, description, lon, lat, address, grid_code,
                                    status, department_id, reported_at, status_since, deadline_at, closed_at, rating,
                                    duplicate_of_id, on_time, reopen_count)
            SELECT 'R' || lpad(g::text, 12, '0'), %(reporter)s, '', (%(categories)s::int[])[1 + mod(g, %(n_categories)s)], '楼道堆物',
                   113.65 + r2 * 0.1, 34.70 + r3 * 0.08, '', '410104001001001', st, NULL, at, at, NULL,
                   CASE WHEN st = 'closed' THEN at + (1 + r2 * 239) * interval '1 hour' END,
                   CASE WHEN st = 'closed' AND r3 < 0.6 THEN 1 + floor(r4 * 5)::int END,
                   NULL, CASE WHEN st = 'closed' THEN r3 < 0.85 END, CASE WHEN r5 < 0.04 AND st <> 'rejected' THEN 1 ELSE 0 END
            FROM (
                SELECT g, r1, r2, r3, r4, r5, make_timestamptz(%(year)s, 1, 1, 0, 0, 0, 'Asia/Shanghai') + r1 * interval '364 days' AS at,
                       CASE WHEN r0 < 0.03 THEN 'handling' WHEN r0 < 0.05 THEN 'rejected' ELSE 'closed' END AS st
                FROM (SELECT g, random() AS r0, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
                      FROM generate_series(1, %(cases)s) AS g) AS draws
            ) AS rows
            """,
            {"reporter": reporter, "categories": categories, "n_categories": len(categories), "cases": cases, "year": YEAR},
        )
        cursor.execute("UPDATE cases_case SET duplicate_of_id = id - 1 WHERE mod(id, 200) = 0 AND id > (SELECT min(id) FROM cases_case)")
    # Skewed: power(random, 1.6) favours the first compounds, as a few busy compounds report most.
    with bulk_loading(cursor, "property_compoundcase"):
        cursor.execute(
            """INSERT INTO property_compoundcase (case_id, compound_id)
               SELECT c.id, first.id + floor(power(random(), 1.6) * %(compounds)s)::int
               FROM cases_case c, (SELECT min(id) AS id FROM property_compound) AS first""",
            {"compounds": COMPOUNDS},
        )
    cursor.execute("VACUUM ANALYZE cases_case")
    cursor.execute("VACUUM ANALYZE property_compoundcase")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000_000, help="cases to load (default 10,000,000)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed runs per measurement; the best counts")
    parser.add_argument("--keep", action="store_true", help=f"leave the database {DATABASE} behind (drop it yourself)")
    args = parser.parse_args()
    on_private_database(DATABASE, "bench_rating_inputs", args, _run)


def _run(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from wangge.accounts.models import Role, User
    from wangge.cases.models import Case, Category
    from wangge.property.models import Compound
    from wangge.property.models.rating import CompoundCase
    from wangge.property.rating.inputs import case_inputs

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    communities = _communities()
    reporter = User.objects.create(username="bench_reporter", role=Role.GRID_WORKER, scope_code="410104001001001")
    categories = list(Category.objects.order_by("pk").values_list("pk", flat=True)[:12])
    with connection.cursor() as cursor:
        _load(cursor, args.cases, communities, categories, reporter.pk)
    loaded = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('cases_case') + pg_total_relation_size('property_compoundcase'))")
        size = cursor.fetchone()[0]
    ids = list(Compound.objects.order_by("pk").values_list("pk", flat=True))
    total, links = Case.objects.count(), CompoundCase.objects.count()
    print(f"setup: migrate + load of {total:,} cases and {links:,} case links over {len(ids):,} compounds in {loaded:.0f} s "
          f"(tables and indexes {size})")

    def timed(function):
        function()  # warm-up: the first run reads the pages into the cache
        return best_of(args.repeat, function)

    def ours():
        return case_inputs(year=YEAR, compound_ids=ids)

    def loop():
        found = {}
        for pk in ids:
            found.update(case_inputs(year=YEAR, compound_ids=[pk]))
        return found

    ours_s, ours_answer = timed(ours)
    loop_s, loop_answer = timed(loop)
    busiest = max(ours_answer.values(), key=lambda inputs: inputs.cases)
    print(f"\nthe round's case inputs for {len(ids):,} compounds over {total:,} cases of {YEAR} (busiest compound {busiest.cases:,} cases)")
    print(f"  ours    one GROUP BY over the year's case links      {ours_s:8.3f} s")
    print(f"  anchor  the same, one query per compound             {loop_s:8.3f} s  ({len(ids):,} queries)")
    same = ours_answer == loop_answer
    print(f"  same answer: {'yes' if same else 'NO'}; loop / ours {loop_s / ours_s:.1f}")
    with connection.cursor() as cursor:
        sql, params = _inputs_sql(ids)
        cursor.execute("EXPLAIN " + sql, params)
        # The 5,000 ids of the filter are cut short: the plan's shape is what matters.
        print("\nplan of ours:\n" + "\n".join(line if len(line) < 200 else line[:200] + " …" for line, in cursor.fetchall()))
    print("\ngoals")
    print(f"  under {GOAL_SECONDS:.0f} s over {total:,} cases: {ours_s:.3f} s -> {'MET' if ours_s < GOAL_SECONDS else 'NOT MET'}")
    ratio = loop_s / ours_s
    print(f"  at least {GOAL_RATIO:.0f} times faster than the per-compound loop: {ratio:.1f} times -> {'MET' if ratio >= GOAL_RATIO and same else 'NOT MET'}")


def _inputs_sql(ids: list[int]) -> tuple[str, tuple]:
    """The SQL `case_inputs` sends, for its plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wangge.property.rating.inputs import case_inputs

    with CaptureQueriesContext(connection) as queries:
        case_inputs(year=YEAR, compound_ids=ids)
    return queries.captured_queries[-1]["sql"], ()


if __name__ == "__main__":
    main()
