"""Benchmark: the dashboard's case figures, the per grid and department tables and the district
official's case list over 10,000,000 cases on PostgreSQL, read from the summaries (CaseTally,
CaseMonth) against the same figures counted from the cases.

Run from the project root (PostgreSQL must answer at BENCH_POSTGRES, default
postgres://postgres@127.0.0.1:5432/postgres):

    .venv/bin/python benchmarks/bench_case_figures.py             # about 10 min, most of it loading
    .venv/bin/python benchmarks/bench_case_figures.py --cases 1000000

Setup (not timed): a private database `wangge_bench` (created here and dropped at the end),
migrated, with 564 level-3 grid codes in the demo's format (13 subdistricts, 94 communities,
6 grids each), 20 departments, 12 categories, and N cases written by one INSERT ... SELECT over
generate_series (the table's indexes, constraints and summary triggers are off for the load;
the indexes are rebuilt after and the summaries rebuilt by `summaries_rebuild`, timed and
printed apart, then VACUUM ANALYZE, as a bulk load is done): reported over the last three
years, 3 % open (spread over the six open statuses), 2 % rejected, the rest closed 1-240 hours
after the report, 85 % of them on time, 60 % rated, 4 % reopened once, 0.5 % merged into
another case, grids skewed (a few busy grids, many quiet ones).

Measured (best of --repeat after one warm-up run each)
  the headline and the map (cases.figures.figures; open cases and on-time rate per grid),
          against SELECT count(*) FROM cases_case;
  ours:   the twelve-month charts (cases by category, by month, on time by department), the per
          grid and department table (case_figures) of a community, a subdistrict and a district
          official, and the district official's case list (first page of 100, newest first,
          and its count), each read from the summaries (summed=True; the list's count);
  anchor: the same answer counted from the cases (summed=False; the list's COUNT(*)), in the
          same run; the script checks the two answers are equal.

Goal (from the issue): over 10,000,000 cases the twelve-month charts and the district
official's case table answer in under 1 s (and the headline and map, as before).

This is not a test; pytest does not collect it (file name bench_*.py, outside tests/).
"""

import argparse
import time

from common import best_of, bulk_loading, on_private_database

REPEAT = 3
GOAL_SECONDS = 1.0
DATABASE = "wangge_bench"
DISTRICT = "410104"
SUBDISTRICTS, COMMUNITIES, GRIDS = 13, 94, 564


def _grid_codes() -> list[str]:
    """564 level-3 grid codes, district + subdistrict + community + grid, 3 digits each."""
    codes = []
    for community in range(COMMUNITIES):
        subdistrict = 1 + community % SUBDISTRICTS
        for grid in range(GRIDS // COMMUNITIES):
            codes.append(f"{DISTRICT}{subdistrict:03d}{1 + community // SUBDISTRICTS:03d}{1 + grid:03d}")
    return sorted(codes)


def _load(cursor, cases: int, codes: list[str], departments: list[int], categories: list[int], reporter: int) -> None:
    """Drop the table's secondary indexes and constraints, insert, rebuild them: a bulk load."""
    # The summaries are rebuilt once after the load (timed apart), as `wangge cases summaries
    # rebuild` would after a bulk load, rather than kept row batch by row batch.
    with bulk_loading(cursor, "cases_case", triggers=[f"case_summaries_{operation}" for operation in ("insert", "update", "delete")]):
        cursor.execute("SELECT setseed(0.5)")
        # r1..r4 are independent uniform numbers per row; the skewed grid pick favours low indexes.
        cursor.execute(
            """
            INSERT INTO cases_case (number, reporter_id, client_id, category_id, description, lon, lat, address, grid_code,
                                    status, department_id, reported_at, status_since, deadline_at, closed_at, rating,
                                    duplicate_of_id, on_time, reopen_count)
            SELECT 'B' || lpad(g::text, 12, '0'), %(reporter)s, '', (%(categories)s::int[])[1 + mod(g, %(n_categories)s)], '路边暴露垃圾', 113.65 + r2 * 0.1, 34.70 + r3 * 0.08, '',
                   (%(codes)s::text[])[1 + floor(power(r1, 1.6) * %(grids)s)::int],
                   st, CASE WHEN st IN ('reported', 'accepted', 'rejected') THEN NULL ELSE (%(departments)s::int[])[1 + floor(r4 * %(n_departments)s)::int] END,
                   at, at, NULL, CASE WHEN st = 'closed' THEN at + (1 + r2 * 239) * interval '1 hour' END,
                   CASE WHEN st = 'closed' AND r3 < 0.6 THEN 1 + floor(r4 * 5)::int END,
                   NULL, CASE WHEN st = 'closed' THEN r3 < 0.85 END, CASE WHEN r5 < 0.04 AND st <> 'rejected' THEN 1 ELSE 0 END
            FROM (
                SELECT g, r1, r2, r3, r4, r5, now() - (1 + r5 * 1095 * 24) * interval '1 hour' - r1 * interval '1 minute' AS at,
                       CASE WHEN r0 < 0.03 THEN (ARRAY['reported', 'accepted', 'dispatched', 'handling', 'handled', 'verified'])[1 + floor(r0 / 0.005)::int]
                            WHEN r0 < 0.05 THEN 'rejected' ELSE 'closed' END AS st
                FROM (SELECT g, random() AS r0, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
                      FROM generate_series(1, %(cases)s) AS g) AS draws
            ) AS rows
            """,
            {"reporter": reporter, "categories": categories, "n_categories": len(categories), "codes": codes, "grids": len(codes), "departments": departments,
             "n_departments": len(departments), "cases": cases},
        )
        cursor.execute("UPDATE cases_case SET duplicate_of_id = id - 1 WHERE mod(id, 200) = 0 AND id > (SELECT min(id) FROM cases_case)")
    cursor.execute("VACUUM ANALYZE cases_case")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000_000, help="cases to load (default 10,000,000)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed runs per measurement; the best counts")
    parser.add_argument("--keep", action="store_true", help="leave the database wangge_bench behind (drop it yourself)")
    args = parser.parse_args()
    on_private_database(DATABASE, "bench_case_figures", args, _run)


def _run(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wangge.accounts.models import Role, User
    from wangge.cases import selectors_figures as sf
    from wangge.cases.figures import figures
    from wangge.cases.models import Case, Category, Department
    from wangge.cases.selectors import case_figures, case_list, case_list_count
    from wangge.cases.summaries import summaries_rebuild
    from wangge.geo.scope import Scope, scope_of

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    codes = _grid_codes()
    departments = [Department.objects.create(code=f"department_{i:02d}", name=f"职能部门{i:02d}").pk for i in range(20)]
    reporter = User.objects.create(username="bench_reporter", role=Role.GRID_WORKER, scope_code=codes[0])
    categories = list(Category.objects.order_by("pk").values_list("pk", flat=True)[:12])
    with connection.cursor() as cursor:
        _load(cursor, args.cases, codes, departments, categories, reporter.pk)
    loaded = time.perf_counter() - start
    rebuilt = time.perf_counter()
    summary_rows = summaries_rebuild()
    rebuilt = time.perf_counter() - rebuilt
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_casetally")
        cursor.execute("VACUUM ANALYZE cases_casemonth")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('cases_case'))")
        size = cursor.fetchone()[0]
    subdistrict, community = codes[0][:9], codes[0][:12]
    officials = {
        "community": User.objects.create(username="bench_community", role=Role.COMMUNITY_OFFICIAL, scope_code=community),
        "subdistrict": User.objects.create(username="bench_subdistrict", role=Role.SUBDISTRICT_OFFICIAL, scope_code=f"{subdistrict}000"),
        "district": User.objects.create(username="bench_district", role=Role.DISTRICT_OFFICIAL, scope_code=f"{DISTRICT}000000"),
    }
    total = Case.objects.count()
    in_scope = {name: Case.objects.filter(scope_of(user).q("grid_code")).count() for name, user in officials.items()}
    print(f"setup: migrate + load of {total:,} cases in {loaded:.0f} s (table and indexes {size}); "
          f"{Case.objects.filter(status='closed').count():,} closed, {Case.objects.exclude(status__in=['closed', 'rejected']).count():,} open, "
          f"in {len(codes)} grids; community {community} has {in_scope['community']:,}, subdistrict {subdistrict} {in_scope['subdistrict']:,}")

    print(f"summaries rebuilt from the cases in {rebuilt:.1f} s: {summary_rows[0]:,} tally rows, {summary_rows[1]:,} month rows")

    def timed(function):
        function()  # warm-up: the first run reads the pages into the cache
        return best_of(args.repeat, function)

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case")
            return cursor.fetchone()[0]

    anchor_s, counted = timed(count_all)
    rows = [
        ("figures(district)", *timed(lambda: figures(Scope.district()))),
        ("figures(subdistrict)", *timed(lambda: figures(Scope(subdistrict)))),
        *[(f"dashboard: {function.__name__}(district)", *timed(lambda function=function: function(Scope.district())))
          for function in (sf.open_cases_by_grid, sf.on_time_by_grid)],
    ]
    print(f"\nfigures over {total:,} cases")
    print(f"  anchor  SELECT count(*) FROM cases_case             {anchor_s:8.3f} s  ({counted:,} rows)")
    for name, seconds, _ in rows:
        print(f"  ours    {name:<48} {seconds:8.3f} s  ours / anchor {seconds / anchor_s:6.2f}")

    district = officials["district"]

    def listing(summed: bool):
        """The district official's case list, first page of 100 newest and its count, as GET /api/cases answers."""
        cases = case_list(district).select_related("category", "department", "duplicate_of").order_by("-reported_at", "-pk")
        page = list(cases[:100])
        return len(page), (case_list_count(district) if summed else case_list(district).count())

    # Ours reads the summaries; the anchor is the same answer counted from the cases (the
    # query each read before the summaries), same data, same run.
    paired = [
        *[(f"chart {function.__name__}(district)", lambda function=function, summed=summed: function(Scope.district(), summed=summed))
          for function in (sf.cases_by_category, sf.cases_by_month, sf.on_time_by_department) for summed in (True, False)],
        *[(f"table case_figures({name} official)", lambda user=user, summed=summed: case_figures(user, summed=summed))
          for name, user in officials.items() for summed in (True, False)],
        *[("list: district official's first page + count", lambda summed=summed: listing(summed)) for summed in (True, False)],
    ]
    print(f"\nfrom the summaries (ours) against the same figures counted from the cases (anchor), over {total:,} cases")
    print(f"  {'':50} {'ours s':>8} {'anchor s':>9} {'ours/anchor':>12}  same answer  goal < {GOAL_SECONDS:.0f} s")
    slowest = 0.0
    for k in range(0, len(paired), 2):
        name, ours_f = paired[k]
        ours_s, ours = timed(ours_f)
        anchor, raw = timed(paired[k + 1][1])
        slowest = max(slowest, ours_s)
        print(f"  {name:<50} {ours_s:8.3f} {anchor:9.3f} {ours_s / anchor:12.3f}  {'yes' if ours == raw else 'NO':>11}  "
              f"{'MET' if ours_s < GOAL_SECONDS else 'NOT MET'}")
    with CaptureQueriesContext(connection) as queries:
        figures(Scope(subdistrict))
    print("\nplans of the subdistrict's headline queries:")
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            print("\n".join(line for line, in cursor.fetchall()))
    shown = max(seconds for name, seconds, _ in rows)
    print("\ngoals")
    print(f"  the headline and the map over {total:,} cases in under {GOAL_SECONDS:.0f} s: slowest {shown:.3f} s -> "
          f"{'MET' if shown < GOAL_SECONDS else 'NOT MET'}")
    print(f"  the twelve-month charts, the per grid and department tables and the district official's list in under {GOAL_SECONDS:.0f} s: "
          f"slowest {slowest:.3f} s -> {'MET' if slowest < GOAL_SECONDS else 'NOT MET'}")


if __name__ == "__main__":
    main()
