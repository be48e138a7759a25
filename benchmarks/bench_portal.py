"""Benchmark: the public article page and the headline-figures API under load, against a static
file served by the same server in the same run.

Run from the project root (needs `wrk`: apt-get install wrk):

    .venv/bin/python benchmarks/bench_portal.py                # about 3 min, most of it the demo
    .venv/bin/python benchmarks/bench_portal.py --seconds 5

Setup (not timed): a throw-away directory (WANGGE_VAR_DIR) with its own SQLite database, migrated
and filled by `wangge demo` (the district, a year of cases, the portal's news), static files
collected, and gunicorn (gthread; --workers, --threads) on a free loopback port, as `make run`
serves it.

Load: wrk on loopback, one thread, --connections keep-alive connections, for --seconds after a
warm-up of a quarter of that, each URL in turn:
  ours:   GET /news/<id>: the most recent published article, as a visitor's browser asks for it
          (the page is cached per article and version; the view count is a separate beacon);
          GET /api/stats/headline: the district's headline figures, anonymous (district scope);
  anchor: GET /static/portal/portal.css: a static file served by WhiteNoise in the same server.
It then times the headline figures on one connection (no queueing) for the latency goal.

Goals (from the issue): article page >= 1,000 requests/s with caching on this machine; headline
figures on the demo under 50 ms.

This is not a test; pytest does not collect it. It sends traffic only to 127.0.0.1 and stops by
itself.
"""

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from common import machine_line
from serving import DONE, demo_site, measure, serve, stop, wangge

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
        proc, url = serve(env, args, Path(var_dir) / "gunicorn.log")
        print(f"\nsetup (migrate, collectstatic, demo, gunicorn {args.workers} workers x {args.threads} threads) in {time.perf_counter() - start:.0f} s")
        paths = {"article": f"/news/{article}", "headline": "/api/stats/headline", "static": "/static/portal/portal.css"}
        results = {}
        try:
            for name, path in paths.items():
                measure(url + path, scripts, connections=args.connections, seconds=args.seconds / 4, run=f"{name}-warm", server_pgid=proc.pid)
                results[name] = measure(url + path, scripts, connections=args.connections, seconds=args.seconds, run=f"{name}-run", server_pgid=proc.pid)
            results["latency"] = measure(url + paths["headline"], scripts, connections=1, seconds=args.seconds, run="latency-run", server_pgid=proc.pid)
        finally:
            stop(proc)
        return {"paths": paths, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="seconds per measured run (default 20)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections for the throughput runs")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread, or sync: one request at a time, no keep-alive)")
    parser.add_argument("--gunicorn", nargs="*", default=[], help="further gunicorn options, e.g. --gunicorn=--reuse-port")
    args = parser.parse_args()
    print(machine_line("bench_portal", 1) + f"; one run of {args.seconds:.0f} s per measurement, {args.connections} connections")
    result = _bench(args)
    static = result["static"]
    print(f"  {'':8} {'':40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7} {'/ static':>9}   CPU (cores): wrk, gunicorn, machine busy")
    rows = [("ours", f"GET {result['paths']['article']} (article page)", result["article"]),
            ("ours", "GET /api/stats/headline", result["headline"]),
            ("anchor", "GET /static/portal/portal.css (WhiteNoise)", static),
            ("latency", "GET /api/stats/headline, 1 connection", result["latency"])]
    for label, what, row in rows:
        print(f"  {label:8} {what:40} {row['rate']:8,.0f} {row['p50_us'] / 1000:8.1f} {row['p99_us'] / 1000:8.1f} {row['bad_status']:8,} "
              f"{row['errors']:7,} {row['rate'] / static['rate']:9.3f}   {row['wrk_cpu']:.2f}, {row['server_cpu']:.2f}, {row['machine_busy'] * os.cpu_count():.2f} of {os.cpu_count()}")
    article_ok = result["article"]["rate"] >= GOAL_ARTICLE_RATE and result["article"]["bad_status"] == 0
    headline_ms = result["latency"]["p50_us"] / 1000
    print("\ngoals")
    print(f"  article page >= {GOAL_ARTICLE_RATE:,} requests/s: {result['article']['rate']:,.0f} -> {'MET' if article_ok else 'NOT MET'}")
    print(f"  headline figures on the demo < {GOAL_HEADLINE_MS} ms: p50 {headline_ms:.1f} ms, p99 {result['latency']['p99_us'] / 1000:.1f} ms "
          f"-> {'MET' if headline_ms < GOAL_HEADLINE_MS else 'NOT MET'}")


if __name__ == "__main__":
    main()
