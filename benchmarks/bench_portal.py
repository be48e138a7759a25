"""Benchmark: the public article page and the headline-figures API under load, against a static
file served by the same server in the same run.

Run from the project root (needs `wrk`: apt-get install wrk):

    .venv/bin/python benchmarks/bench_portal.py                # about 3 min, most of it the demo
    .venv/bin/python benchmarks/bench_portal.py --seconds 5

Setup (not timed): a throw-away directory (WANGGE_VAR_DIR) with its own SQLite database, migrated
and filled by `wangge demo` (the district, a year of cases, the portal's news), static files
collected, and gunicorn started exactly as `make run` starts it (`gunicorn -c
python:wangge.gunicorn_conf wangge.wsgi:application`: sync workers, 2 x cores + 1 unless --workers,
database connections kept open) on a free loopback port; the worker's log line on its database
connections is printed.

Load: wrk on loopback, one thread, --connections keep-alive connections, for --seconds after a
warm-up of a quarter of that, each URL in turn:
  ours:   GET /news/<id>: the most recent published article, as a visitor's browser asks for it
          (the page is cached per article and version; the view count is a separate beacon);
          GET /api/stats/headline: the district's headline figures, anonymous (district scope);
  anchor: GET /static/portal/portal.css: a static file served by WhiteNoise in the same server.
It then times the headline figures on one connection (no queueing) for the latency goal, and
the article page once more on a server that opens a database connection per request
(DB_CONN_MAX_AGE=0), to show what persistent connections are worth.

Goals (from the issue): article page >= 1,000 requests/s with caching on this machine; headline
figures on the demo under 50 ms.

This is not a test; pytest does not collect it. It sends traffic only to 127.0.0.1 and stops by
itself.
"""

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from common import machine_line
from serving import DONE, demo_site, measure, serve, served_settings, stop, wangge

GOAL_ARTICLE_RATE, GOAL_HEADLINE_MS = 1000, 50

FIRST_ARTICLE = """
import json
from wangge.portal.models import Article, Stage
article = Article.objects.filter(stage=Stage.PUBLISHED).order_by("-published_at").first()
print(json.dumps({"article": article.pk if article else None}))
"""


def _bench(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="wangge-bench-") as var_dir:
        start = time.perf_counter()
        env = demo_site(var_dir)
        article = json.loads(wangge(env, "shell", "-c", FIRST_ARTICLE).strip().splitlines()[-1])["article"]
        if article is None:
            raise SystemExit("the demo published no article")
        script = Path(var_dir) / "get.lua"
        script.write_text("function init(args) end\n" + DONE)
        scripts = {name: script for name in ("article", "headline", "static", "latency")}
        log = Path(var_dir) / "gunicorn.log"
        proc, url = serve(env, log, workers=args.workers)
        print(f"\nsetup (migrate, collectstatic, demo, gunicorn as `make run`) in {time.perf_counter() - start:.0f} s; served: {served_settings(log)}")
        paths = {"article": f"/news/{article}", "headline": "/api/stats/headline", "static": "/static/portal/portal.css"}
        results = {}
        try:
            for name, path in paths.items():
                measure(url + path, scripts, connections=args.connections, seconds=args.seconds / 4, run=f"{name}-warm", server_pgid=proc.pid)
                results[name] = measure(url + path, scripts, connections=args.connections, seconds=args.seconds, run=f"{name}-run", server_pgid=proc.pid)
            results["latency"] = measure(url + paths["headline"], scripts, connections=1, seconds=args.seconds, run="latency-run", server_pgid=proc.pid)
        finally:
            stop(proc)
        log.write_text("")
        proc, url = serve(dict(env, DB_CONN_MAX_AGE="0"), log, workers=args.workers)
        print(f"  then per request: {served_settings(log)}")
        try:
            measure(url + paths["article"], scripts, connections=args.connections, seconds=args.seconds / 4, run="article-warm", server_pgid=proc.pid)
            results["per_request"] = measure(url + paths["article"], scripts, connections=args.connections, seconds=args.seconds, run="article-run", server_pgid=proc.pid)
        finally:
            stop(proc)
        return {"paths": paths, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="seconds per measured run (default 20)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections for the throughput runs")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn worker processes (WEB_CONCURRENCY; default gunicorn_conf's 2 x cores + 1)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    print(machine_line("bench_portal", 1) + f"; one run of {args.seconds:.0f} s per measurement, {args.connections} connections")
    result = _bench(args)
    static = result["static"]
    print(f"  {'':8} {'':40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7} {'/ static':>9}   CPU (cores): wrk, gunicorn, machine busy")
    rows = [("ours", f"GET {result['paths']['article']} (article page)", result["article"]),
            ("ours", "GET /api/stats/headline", result["headline"]),
            ("anchor", "GET /static/portal/portal.css (WhiteNoise)", static),
            ("per-req", "GET article, DB_CONN_MAX_AGE=0", result["per_request"]),
            ("latency", "GET /api/stats/headline, 1 connection", result["latency"])]
    for label, what, row in rows:
        print(f"  {label:8} {what:40} {row['rate']:8,.0f} {row['p50_us'] / 1000:8.1f} {row['p99_us'] / 1000:8.1f} {row['bad_status']:8,} "
              f"{row['errors']:7,} {row['rate'] / static['rate']:9.3f}   {row['wrk_cpu']:.2f}, {row['server_cpu']:.2f}, {row['machine_busy'] * os.cpu_count():.2f} of {os.cpu_count()}")
    article_ok = result["article"]["rate"] >= GOAL_ARTICLE_RATE and result["article"]["bad_status"] == 0
    headline_ms = result["latency"]["p50_us"] / 1000
    print("\ngoals")
    print(f"  article page >= {GOAL_ARTICLE_RATE:,} requests/s: {result['article']['rate']:,.0f} "
          f"({result['article']['rate'] / static['rate']:.3f} of the static file; {result['article']['rate'] / result['per_request']['rate']:.2f}x "
          f"a connection per request) -> {'MET' if article_ok else 'NOT MET'}")
    print(f"  headline figures on the demo < {GOAL_HEADLINE_MS} ms: p50 {headline_ms:.1f} ms, p99 {result['latency']['p99_us'] / 1000:.1f} ms "
          f"-> {'MET' if headline_ms < GOAL_HEADLINE_MS else 'NOT MET'}")


if __name__ == "__main__":
    main()
