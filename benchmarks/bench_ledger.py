"""Benchmark: the projects' ledger over 1,000,000 disbursements on PostgreSQL, summed per
community and source in SQL, against the same sums made in Python over the rows.

Run from the project root (PostgreSQL must answer at BENCH_POSTGRES, default
postgres://postgres@127.0.0.1:5432/postgres):

    .venv/bin/python benchmarks/bench_ledger.py                       # about 2 min, most of it loading
    .venv/bin/python benchmarks/bench_ledger.py --disbursements 200000

Setup (not timed): a private database `wangge_bench_ledger` (created here and dropped at the
end), migrated, with 94 communities in the demo's code format (13 subdistricts), 10 projects of
the year each, each budgeted from the 4 seeded sources, and N disbursements written by one
INSERT ... SELECT over generate_series (the table's secondary indexes and constraints off for
the load and rebuilt after, then VACUUM ANALYZE, as a bulk load is done): spread over the
projects and sources, amounts of 1-5,000 yuan in fen, 1 % reversed. The lines' and allocations'
spent are then set from the rows, as the payments would have left them.

Measured (best of --repeat after one warm-up run each)
  ours:   `spending_by_community_source` (one GROUP BY of the year's rows not reversed, read
          from the ledger's covering index), and `community_ledger` as the district official
          reads it (the allocations with those sums), as the API's /api/funds/ledger answers;
  anchor: the same sums made in Python over the year's rows (community, source, amount)
          fetched in chunks; the script checks the answers are equal.

Goal (from the issue): the ledger over 1,000,000 disbursements summed per community and source
in under 1 s.

This is not a test; pytest does not collect it (file name bench_*.py, outside tests/).
"""

import argparse
import time
from collections import defaultdict

from common import best_of, bulk_loading, on_private_database

REPEAT = 3
GOAL_SECONDS = 1.0
DATABASE = "wangge_bench_ledger"
DISTRICT = "410104"
SUBDISTRICTS, COMMUNITIES, PROJECTS_EACH = 13, 94, 10


def _communities() -> list[str]:
    return sorted(f"{DISTRICT}{1 + c % SUBDISTRICTS:03d}{1 + c // SUBDISTRICTS:03d}" for c in range(COMMUNITIES))


def _world(year: int) -> tuple[list[int], list[int]]:
    """Projects with a line from every source, and allocations enough for them; (line ids,
    project ids) in the same order, a project's lines side by side."""
    from wangge.projects.models import Allocation, BudgetLine, Category, FundSource, Project

    category = Category.objects.create(code="life", name="生活服务类", order=1)
    sources = list(FundSource.objects.order_by("order"))
    big = 10**12
    Allocation.objects.bulk_create([
        Allocation(community_code=code, year=year, source=source, amount_fen=big * PROJECTS_EACH, budgeted_fen=big * PROJECTS_EACH)
        for code in _communities() for source in sources
    ])
    projects = Project.objects.bulk_create([
        Project(number=f"L{i:06d}", title=f"服务项目{i}", category=category, community_code=code, scope="服务", year=year, status="implementing")
        for i, code in enumerate(code for code in _communities() for _ in range(PROJECTS_EACH))
    ])
    lines = BudgetLine.objects.bulk_create([BudgetLine(project=p, source=s, amount_fen=big) for p in projects for s in sources])
    return [line.pk for line in lines], [line.project_id for line in lines]


def _load(cursor, n: int, year: int, line_ids: list[int]) -> None:
    from wangge.projects.models import Disbursement

    table = Disbursement._meta.db_table
    with bulk_loading(cursor, table):
        cursor.execute("SELECT setseed(0.25)")
        cursor.execute(
            f"""
            INSERT INTO {table} (project_id, line_id, community_code, year, source_id, payee, purpose, expense_type, paid_on, amount_fen,
                                 invoice_number, receipt, receipt_type, receipt_sha256, created_at, reversed_at, reversal_reason)
            SELECT l.project_id, l.id, p.community_code, %(year)s, l.source_id, '服务机构' || mod(g, 500), '服务费用', 'services',
                   make_date(%(year)s, 1 + mod(g, 12), 1), 100 + floor(random() * 499900)::bigint, 'B' || g, 'receipts/bench.png', 'image/png', '',
                   now(), CASE WHEN random() < 0.01 THEN now() END, ''
            FROM generate_series(1, %(n)s) AS g
            JOIN projects_budgetline AS l ON l.id = (%(lines)s::bigint[])[1 + mod(g::bigint * 7919, %(n_lines)s)]
            JOIN projects_project AS p ON p.id = l.project_id
            """,  # noqa: S608 - the table name is the model's
            {"year": year, "n": n, "lines": line_ids, "n_lines": len(line_ids)},
        )
    cursor.execute(f"VACUUM ANALYZE {table}")
    cursor.execute(f"""UPDATE projects_budgetline AS l SET spent_fen = s.total FROM (
                           SELECT line_id, sum(amount_fen) AS total FROM {table} WHERE reversed_at IS NULL GROUP BY line_id) AS s
                       WHERE s.line_id = l.id""")  # noqa: S608
    cursor.execute(f"""UPDATE projects_allocation AS a SET spent_fen = s.total FROM (
                           SELECT community_code, year, source_id, sum(amount_fen) AS total FROM {table} WHERE reversed_at IS NULL
                           GROUP BY community_code, year, source_id) AS s
                       WHERE (s.community_code, s.year, s.source_id) = (a.community_code, a.year, a.source_id)""")  # noqa: S608


def _in_python(year: int) -> dict:
    from wangge.projects.models import Disbursement

    sums = defaultdict(int)
    rows = Disbursement.objects.filter(year=year, reversed_at__isnull=True).values_list("community_code", "source_id", "amount_fen")
    for code, source, amount in rows.iterator(chunk_size=20_000):
        sums[(code, source)] += amount
    return dict(sums)


def _run(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from wangge.accounts.models import Role, User
    from wangge.geo.scope import Scope
    from wangge.projects.funds.selectors import community_ledger, spending_by_community_source
    from wangge.projects.models import Allocation, Disbursement

    year = 2026
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    line_ids, project_ids = _world(year)
    with connection.cursor() as cursor:
        _load(cursor, args.disbursements, year, line_ids)
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('projects_disbursement'))")
        size = cursor.fetchone()[0]
    official = User.objects.create(username="bench_district", role=Role.DISTRICT_OFFICIAL, scope_code=f"{DISTRICT}000000")
    total = Disbursement.objects.count()
    print(f"setup: migrate + load of {total:,} disbursements in {time.perf_counter() - start:.0f} s (table and indexes {size}); "
          f"{len(project_ids) // 4:,} projects, {len(line_ids):,} budget lines, {Allocation.objects.count()} allocations "
          f"({COMMUNITIES} communities x 4 sources)")

    def timed(function):
        function()  # warm-up
        return best_of(args.repeat, function)

    grouped_s, grouped = timed(lambda: spending_by_community_source(Scope.district(), year))
    ledger_s, ledger = timed(lambda: community_ledger(official, year=year))
    python_s, python = timed(lambda: _in_python(year))
    equal = grouped == python and {(r.community_code, r.spent_fen) for r in ledger} == {(code, python[(code, source)]) for code, source in python} \
        and all(r.spent_fen == a for r, a in zip(ledger, Allocation.objects.filter(year=year).order_by("community_code", "source__order").values_list("spent_fen", flat=True), strict=True))
    print(f"  {'':7} {'':58} {'seconds':>9} {'groups':>7} {'/ anchor':>9}")
    print(f"  {'ours':7} {'spending_by_community_source (one GROUP BY in SQL)':58} {grouped_s:9.3f} {len(grouped):7} {grouped_s / python_s:9.3f}")
    print(f"  {'ours':7} {'community_ledger, district official (= /api/funds/ledger)':58} {ledger_s:9.3f} {len(ledger):7} {ledger_s / python_s:9.3f}")
    print(f"  {'anchor':7} {'the same sums in Python over the rows':58} {python_s:9.3f} {len(python):7} {1:9.3f}")
    print(f"  answers equal (SQL, ledger, Python, the allocations' counters): {equal}")
    met = max(grouped_s, ledger_s) < GOAL_SECONDS and equal
    print(f"\ngoal: the ledger over {total:,} disbursements per community and source < {GOAL_SECONDS:.0f} s: "
          f"{max(grouped_s, ledger_s):.3f} s ({python_s / max(grouped_s, ledger_s):.1f}x faster than the anchor) -> {'MET' if met else 'NOT MET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disbursements", type=int, default=1_000_000, help="disbursements to load (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed runs per measurement; the best counts")
    parser.add_argument("--keep", action="store_true", help="leave the database behind (drop it yourself)")
    args = parser.parse_args()
    on_private_database(DATABASE, "bench_ledger", args, _run)


if __name__ == "__main__":
    main()
