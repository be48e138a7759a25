"""Benchmark: reporting cases through the HTTP API under load, against the same server answering
GET /health, on SQLite and on PostgreSQL.

Run from the project root (needs `wrk`: apt-get install wrk; PostgreSQL at BENCH_POSTGRES,
default postgres://postgres@127.0.0.1:5432/postgres, unless --sqlite-only):

    .venv/bin/python benchmarks/bench_reports.py                 # about 3 min
    .venv/bin/python benchmarks/bench_reports.py --seconds 5 --sqlite-only
    .venv/bin/python benchmarks/bench_reports.py --profile 300   # cProfile of 300 reports in-process

Setup (not timed), once per database: a throw-away directory (WANGGE_VAR_DIR) and database
(SQLite there, or a private PostgreSQL database `wangge_bench_reports`, dropped at the end),
migrated and filled with the demo district, a resident account `bench_reporter` with an API
token, the database settled after that load (VACUUM ANALYZE and CHECKPOINT; on SQLite ANALYZE
and a WAL checkpoint), and gunicorn as `make run` starts it (src/wangge/gunicorn_conf.py: sync
workers, 2 x cores + 1 unless --workers; --conn-max-age sets DB_CONN_MAX_AGE) on a free
loopback port.

Load: wrk on loopback, one thread, --connections connections (a sync worker answers one request
per connection, and wrk connects again), for --seconds after
a warm-up of a quarter of that. Every report is a new one: a unique client_id and
Idempotency-Key, a point drawn at random from the demo's 3,387 buildings, POST /api/cases
with the token, as a phone sends it.

Measured, on each database, in the same run, with the same connections:
  ours:   POST /api/cases: reports/s, p50 and p99 latency (wrk's), every answer must be 201;
  anchor: GET /health (one SELECT 1 through the same middleware): requests/s, p50, p99.
It then counts the cases made (each 201 must be one case, no report lost), verifies the
audit chain, and prints the CPU each party used (wrk, gunicorn, the rest of the machine).

Goals (from the issue): at least 500 reports/s on PostgreSQL on this 2-core machine, with p99
under 100 ms.

This is not a test; pytest does not collect it (file name bench_*.py, outside tests/). It sends
traffic only to 127.0.0.1 and stops by itself.
"""

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine_line
from serving import DONE, measure, serve, served_settings, stop, wangge

BIN = Path(sys.executable).parent
DATABASE = "wangge_bench_reports"
GOAL_RATE, GOAL_P99_MS = 500, 100


REPORT = r"""
local points = {%(points)s}
local token = "%(token)s"
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  run = args[1]
  counter = 0
  math.randomseed(tid * 7919 + #run)
end
function request()
  counter = counter + 1
  local p = points[math.random(#points)]
  local id = run .. "-" .. tid .. "-" .. counter
  local body = string.format('{"client_id": "%%s", "category": "exposed_garbage", "description": "路边暴露垃圾（压测）", "lon": %%.7f, "lat": %%.7f}', id, p[1], p[2])
  return wrk.format("POST", "/api/cases", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token, ["Idempotency-Key"] = id}, body)
end
function response(status, headers, body)
  if status ~= 201 and not shown then
    shown = true
    io.stderr:write("first answer other than 201: " .. status .. " " .. body:sub(1, 300) .. "\n")
  end
end
"""

SETUP = """
import json
from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.people.models import Building
user = User.objects.create(username="bench_reporter", role=Role.RESIDENT, full_name="压测居民")
points = list(Building.objects.exclude(grid_code="").order_by("pk").values_list("lon", "lat"))
made = {"token": token_issue(user=user), "points": points}
print(json.dumps(made))
"""

# The demo's year of cases is hundreds of thousands of fresh rows: without this, autovacuum and
# the checkpoint that follow such a load run in the middle of the measurement.
SETTLE = """
from django.db import connection
with connection.cursor() as cursor:
    if connection.vendor == "postgresql":
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    else:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
"""

CHECK = """
import json
from wangge.core.audit import audit_verify
from wangge.cases.models import Case
verdict = audit_verify()
print(json.dumps({"cases": Case.objects.filter(reporter__username="bench_reporter").count(), "audit_ok": verdict.ok, "audit_rows": verdict.checked}))
"""


def _bench(name: str, database_url: str | None, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="wangge-bench-") as var_dir:
        env = dict(os.environ, WANGGE_VAR_DIR=var_dir, DB_CONN_MAX_AGE=str(args.conn_max_age), DJANGO_SETTINGS_MODULE="wangge.settings")
        env.pop("WANGGE_FIELD_KEY", None)
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        start = time.perf_counter()
        wangge(env, "migrate", "--noinput", "-v0")
        wangge(env, "demo")
        made = json.loads(wangge(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        wangge(env, "shell", "-c", SETTLE)
        points = ", ".join(f"{{{lon:.7f}, {lat:.7f}}}" for lon, lat in made["points"])
        scripts = {"report": Path(var_dir) / "report.lua", "health": Path(var_dir) / "health.lua"}
        scripts["report"].write_text(REPORT % {"points": points, "token": made["token"]} + DONE)
        scripts["health"].write_text("function init(args) end\n" + DONE)
        proc, url = serve(env, Path(var_dir) / "gunicorn.log", workers=args.workers)
        print(f"\n{name}: setup (migrate, demo, account, gunicorn as `make run`, {served_settings(Path(var_dir) / 'gunicorn.log')}) in "
              f"{time.perf_counter() - start:.0f} s; {len(made['points']):,} report points")
        try:
            measure(url + "/health", scripts, connections=args.connections, seconds=args.seconds / 4, run="health-warm", server_pgid=proc.pid)
            warm = measure(url + "/api/cases", scripts, connections=args.connections, seconds=args.seconds / 4, run="report-warm", server_pgid=proc.pid)
            health = measure(url + "/health", scripts, connections=args.connections, seconds=args.seconds, run="health-run", server_pgid=proc.pid)
            report = measure(url + "/api/cases", scripts, connections=args.connections, seconds=args.seconds, run="report-run", server_pgid=proc.pid)
        finally:
            stop(proc)
        check = json.loads(wangge(env, "shell", "-c", CHECK).strip().splitlines()[-1])
        answered = sum(r["requests"] - r["bad_status"] for r in (warm, report))
        return {"health": health, "report": report, "check": check, "answered": answered, "log_tail": (Path(var_dir) / "gunicorn.log").read_text()[-6000:]}


def _print(name: str, result: dict, args) -> None:
    health, report, check = result["health"], result["report"], result["check"]
    print(f"  {'':8} {'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-201':>8} {'errors':>7}   CPU (cores): wrk, gunicorn, machine busy")
    for label, what, row in [("ours", "POST /api/cases (new report)", report), ("anchor", "GET /health (SELECT 1)", health)]:
        print(f"  {label:8} {what:34} {row['rate']:8,.0f} {row['p50_us'] / 1000:8.1f} {row['p99_us'] / 1000:8.1f} "
              f"{row['bad_status']:8,} {row['errors']:7,}   {row['wrk_cpu']:.2f}, {row['server_cpu']:.2f}, {row['machine_busy'] * os.cpu_count():.2f} of {os.cpu_count()}")
        if row["stderr"]:
            print(f"           {row['stderr'][:300]}")
    print(f"  ratio    reports/s / health req/s: {report['rate'] / health['rate']:.3f}; p99 report / p99 health: "
          f"{report['p99_us'] / max(health['p99_us'], 1):.1f}")
    # wrk stops with up to one request per connection in flight: the server may have made those
    # cases without wrk counting the answer, so made - answered lies in [0, 2 x connections].
    made, answered = check["cases"], result["answered"]
    lost = not 0 <= made - answered <= 2 * args.connections
    print(f"  check    201 answers (warm-up and run) {answered:,}, cases made {made:,} -> {'A REPORT WAS LOST' if lost else 'none lost'}; "
          f"audit chain {'intact' if check['audit_ok'] else 'BROKEN'} over {check['audit_rows']:,} rows")
    if report["bad_status"] or health["bad_status"]:
        print("  server log, last lines:\n" + "\n".join("    " + line for line in result["log_tail"].splitlines()[-25:]))


def _profile(count: int) -> None:
    """cProfile `count` reports through the whole Django stack in this process (SQLite)."""
    import cProfile
    import pstats

    with tempfile.TemporaryDirectory(prefix="wangge-bench-") as var_dir:
        os.environ.update(WANGGE_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="wangge.settings")
        os.environ.pop("WANGGE_FIELD_KEY", None)
        if os.environ.get("BENCH_PROFILE_DATABASE_URL"):
            os.environ["DATABASE_URL"] = os.environ["BENCH_PROFILE_DATABASE_URL"]
        else:
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        call_command("demo")
        namespace: dict = {}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(SETUP, namespace)  # noqa: S102 - our own text, the setup the server runs through `wangge shell`
        made = namespace["made"]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {made['token']}")

        def report(i: int):
            lon, lat = made["points"][i * 7919 % len(made["points"])]
            body = {"client_id": f"p-{i}", "category": "exposed_garbage", "description": "路边暴露垃圾", "lon": lon, "lat": lat}
            answer = client.post("/api/cases", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"p-{i}")
            assert answer.status_code == 201, answer.content

        for i in range(20):
            report(-1 - i)  # warm-up: imports, the locator's index, connections
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            report(-100)
        print(f"\nthe {len(queries.captured_queries)} SQL statements of one report:")
        for query in queries.captured_queries:
            print(f"  {query['sql'][:150]}")
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for i in range(count):
            report(i)
        profiler.disable()
        took = time.perf_counter() - start
        print(f"\nprofile: {count} reports in-process in {took:.2f} s ({took / count * 1000:.2f} ms each, under cProfile)")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="seconds per measured run (default 20)")
    parser.add_argument("--connections", type=int, default=16, help="connections wrk keeps busy, the same for both endpoints")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn worker processes (WEB_CONCURRENCY; default gunicorn_conf's 2 x cores + 1)")
    parser.add_argument("--conn-max-age", type=int, default=600, help="DB_CONN_MAX_AGE for the server (0: a connection per request)")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--profile", type=int, default=0, help="instead: cProfile this many reports in-process")
    args = parser.parse_args()
    if args.profile:
        _profile(args.profile)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print(machine_line("bench_reports", 1) + f" (one run of {args.seconds:.0f} s per measurement); {version.strip()}; "
          f"{args.connections} connections")
    results = {}
    if not args.postgres_only:
        results["SQLite"] = _bench("SQLite", None, args)
        _print("SQLite", results["SQLite"], args)
    if not args.sqlite_only:
        import psycopg

        server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
        print(f"\nPostgreSQL at {server}")
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            admin.execute(f"CREATE DATABASE {DATABASE}")
        try:
            results["PostgreSQL"] = _bench("PostgreSQL", f"{server.rsplit('/', 1)[0]}/{DATABASE}", args)
            _print("PostgreSQL", results["PostgreSQL"], args)
        finally:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    print("\ngoals")
    if "PostgreSQL" in results:
        report = results["PostgreSQL"]["report"]
        rate, p99 = report["rate"], report["p99_us"] / 1000
        print(f"  PostgreSQL: >= {GOAL_RATE} reports/s: {rate:,.0f} -> {'MET' if rate >= GOAL_RATE else 'NOT MET'}; "
              f"p99 < {GOAL_P99_MS} ms: {p99:.1f} ms -> {'MET' if p99 < GOAL_P99_MS else 'NOT MET'}")
    for name, result in results.items():
        report = result["report"]
        print(f"  {name}: every report answered 201: {'MET' if report['bad_status'] == 0 and report['errors'] == 0 else 'NOT MET'}")


if __name__ == "__main__":
    main()
