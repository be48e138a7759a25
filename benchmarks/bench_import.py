"""Benchmark: importing a 10,000-row residents workbook against reading it with openpyxl alone.

Run from the project root:

    .venv/bin/python benchmarks/bench_import.py

Setup (not timed): a throw-away SQLite database in a temporary directory (DATABASE_URL and
WANGGE_VAR_DIR are set before django.setup(), so nothing else is touched), migrated and filled
with the demo district (`demo_build`, about 3,400 buildings and 21,700 persons).

Input: for each timed run, a fresh workbook of 10,000 valid rows in the layout of the
residents template (every column filled in as a real list would be: phone, ethnicity, health,
party, care categories for one row in ten), spread round-robin over all the demo's buildings
and grids; ID numbers are unregistered and unique (area 110101, never used by the demo), so
each run registers 10,000 new residents, committed, as a real import does.

Measured (best of 3 runs each)
  ours:   workbook_import(kind=residents, file=..., scope=district): reading the sheet with
          openpyxl (read_only), checking the headings and every cell, person_prepare on every
          row (ID check digit, phone, choices), the building, dwelling, duplicate and
          already-registered checks, then writing the new dwellings, persons (5 encrypted
          fields each) and care categories in bulk, in one transaction.
  anchor: "openpyxl alone": openpyxl.load_workbook(file, read_only=True) and
          list(sheet.iter_rows(values_only=True)) on the same workbook; what any import must pay.

Goal (from the issue): 10,000 rows in under 10 s.

This is not a test; pytest does not collect it (file name bench_*.py, outside tests/).
"""

import argparse
import io
import os
import tempfile
from datetime import date, timedelta

import openpyxl

from common import best_of, machine_line

REPEAT = 3
GOAL_SECONDS = 10.0
AREA = "110101"  # never used by the demo district
HEALTH = ["", "良好", "高血压", "糖尿病"]


def _django(var_dir: str) -> None:
    os.environ["WANGGE_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ.pop("WANGGE_FIELD_KEY", None)  # a throw-away key beside the throw-away database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    import django

    django.setup()


def _workbook(headings: list[str], buildings: list[tuple[str, str, str]], rows: int, run: int) -> bytes:
    from wangge.people.identity import check_char

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append(headings)
    for i in range(rows):
        born = date(1940, 1, 1) + timedelta(days=i * 7 % 25_000)  # distinct for 25,000 rows; the run is the sequence
        first17 = f"{AREA}{born:%Y%m%d}{run % 1000:03d}"
        grid_code, compound, name = buildings[(i * 7919 + run) % len(buildings)]
        sheet.append([
            f"居民{run}-{i}", first17 + check_char(first17), f"139{(run * rows + i) % 10**8:08d}", "汉族" if i % 8 else "回族", "",
            HEALTH[i % 4], "户籍人口" if i % 5 else "流动人口", "中共党员" if i % 7 == 0 else "群众", "否", "独居老人" if i % 10 == 0 else "",
            grid_code, compound, name, str(1 + i % 3), f"{1 + i % 30}0{1 + i % 4}",
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _openpyxl_alone(content: bytes) -> int:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return len(rows) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows per workbook (default 10,000)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed runs per measurement; the best counts")
    args = parser.parse_args()
    print(machine_line("bench_import", args.repeat) + f"; openpyxl {openpyxl.__version__}, SQLite")

    with tempfile.TemporaryDirectory(prefix="wangge-bench-") as var_dir:
        _django(var_dir)
        import time

        from django.core.management import call_command

        from wangge.demo.services import demo_build
        from wangge.geo.scope import Scope
        from wangge.people.models import Building, Household, Person
        from wangge.people.workbooks import KINDS, workbook_import

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        made = demo_build()
        print(f"setup: migrate + demo_build in {time.perf_counter() - start:.1f} s "
              f"({made['buildings']:,} buildings, {made['persons']:,} persons)")

        kind = KINDS["residents"]
        buildings = list(Building.objects.exclude(grid_code="").order_by("pk").values_list("grid_code", "compound", "name"))
        workbooks = [_workbook([c.title for c in kind.columns], buildings, args.rows, run) for run in range(args.repeat)]
        print(f"input: {args.repeat} workbooks of {args.rows:,} rows ({len(workbooks[0]) / 1e6:.2f} MB each) over "
              f"{len({b[0] for b in buildings})} grids and {len(buildings):,} buildings")

        remaining = iter(workbooks)
        persons, households = Person.objects.count(), Household.objects.count()
        ours_s, imported = best_of(args.repeat, lambda: workbook_import(kind=kind, file=io.BytesIO(next(remaining)), scope=Scope.district()))
        added = Person.objects.count() - persons
        anchor_s, read = best_of(args.repeat, lambda: _openpyxl_alone(workbooks[0]))

        print(f"\nimport of {args.rows:,} rows (fresh rows each run, committed)")
        print(f"  ours    workbook_import (read, check every row, write)  {ours_s:7.3f} s  {args.rows / ours_s:>9,.0f} rows/s")
        print(f"  anchor  openpyxl alone (load read_only, iter_rows)       {anchor_s:7.3f} s  {read / anchor_s:>9,.0f} rows/s")
        print(f"  ratio   ours / anchor (time): {ours_s / anchor_s:.2f}")
        print(f"\ncheck: {imported.count:,} rows imported per run; persons +{added:,} over {args.repeat} runs "
              f"(expected {args.repeat * args.rows:,}); dwellings +{Household.objects.count() - households:,}; {imported.report}")

        print("\ngoal")
        print(f"  {args.rows:,} rows in under {GOAL_SECONDS:.0f} s: {ours_s:.2f} s -> {'MET' if ours_s < GOAL_SECONDS else 'NOT MET'}")
        print(f"  every row imported: {'MET' if added == args.repeat * args.rows else 'NOT MET'}")


if __name__ == "__main__":
    main()
