"""Benchmark: the party report (网格党组织) on the demo district, served as `make run` serves it,
against the report's old per-organisation query as the anchor.

Run from the project root:

    .venv/bin/python benchmarks/bench_party_report.py            # about 2 min, most of it the demo
    .venv/bin/python benchmarks/bench_party_report.py --repeat 5

Setup (not timed): a throw-away directory (WANGGE_VAR_DIR) with its own SQLite database, migrated
and filled by `wangge demo`, static files collected, a district official `bench_official`
signed in (a session cookie) and given an API token, and gunicorn (gthread; --workers,
--threads) on a free loopback port, as `make run` serves it (`serving.serve`, as bench_portal).

Measured, one request at a time on one keep-alive-less connection, best of --repeat after one
warm-up, as the district official (the widest scope: every organisation of the district):
  ours:   GET /people/party (the page: the first page of every organisation, judged by the
          rules) and GET /people/party?page=<middle>;
          GET /api/party-organisations/report (every organisation judged at once);
  anchor: the old report's query, in process on the same database: every organisation in scope
          read with its secretary, and `organisation_rule_errors` (the one-organisation path,
          a few queries per organisation) for each, as `party_report` did before.

Goal (from the issue): the party report answers in under 300 ms on the demo.

This is not a test; pytest does not collect it. It sends traffic only to 127.0.0.1 and stops by
itself.
"""

import argparse
import json
import os
import tempfile
import time
import urllib.request
from pathlib import Path

from serving import demo_site, serve, stop, wangge

GOAL_MS = 300

SIGN_IN = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wangge.accounts.auth import token_issue
from wangge.geo.models import Division
User = get_user_model()
district = Division.objects.get(kind=Division.Kind.DISTRICT)
user = User.objects.create(username="bench_official", full_name="区干部", role="district_official", scope_code=district.code,
                           password_changed_at=timezone.now())
client = Client()
client.force_login(user)
print(json.dumps({"session": client.cookies["sessionid"].value, "token": token_issue(user=user)}))
"""

OLD_QUERY = """
import json, time
from django.contrib.auth import get_user_model
from django.db import connection
from wangge.geo.scope import scope_of
from wangge.people.selectors.party import party_organisation_list
from wangge.people.services.party import organisation_rule_errors
scope = scope_of(get_user_model().objects.get(username="bench_official"))
best, queries = float("inf"), []
def counted(execute, sql, params, many, context):
    queries.append(sql)
    return execute(sql, params, many, context)
for _ in range(%(repeat)d):
    queries.clear()
    with connection.execute_wrapper(counted):
        start = time.perf_counter()
        organisations = 0
        for organisation in party_organisation_list(scope).select_related("secretary").order_by("name"):
            organisation_rule_errors(organisation)
            organisations += 1
        best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best, "queries": len(queries), "organisations": organisations}))
"""


def _get(url: str, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


def _time(url: str, headers: dict, repeat: int) -> tuple[float, bytes]:
    """Best wall-clock seconds of `repeat` requests after one warm-up, and the last body."""
    status, body = _get(url, headers)
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        status, body = _get(url, headers)
        best = min(best, time.perf_counter() - start)
    return best, body


def _bench(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="wangge-bench-") as var_dir:
        start = time.perf_counter()
        env = demo_site(var_dir)
        made = json.loads(wangge(env, "shell", "-c", SIGN_IN).strip().splitlines()[-1])
        proc, url = serve(env, args, Path(var_dir) / "gunicorn.log")
        print(f"setup (migrate, collectstatic, demo, gunicorn {args.workers} workers x {args.threads} threads) in {time.perf_counter() - start:.0f} s")
        page_headers = {"Cookie": f"sessionid={made['session']}"}
        try:
            first, html = _time(url + "/people/party", page_headers, args.repeat)
            text = html.decode()
            pages = int(text.split("第 1 / ", 1)[1].split(" ", 1)[0]) if "第 1 / " in text else 1
            middle, _ = _time(url + f"/people/party?page={max(1, pages // 2)}", page_headers, args.repeat)
            api, body = _time(url + "/api/party-organisations/report", {"Authorization": f"Bearer {made['token']}"}, args.repeat)
        finally:
            stop(proc)
        old = json.loads(wangge(env, "shell", "-c", OLD_QUERY % {"repeat": args.repeat}).strip().splitlines()[-1])
        return {"first": first, "middle": middle, "api": api, "pages": pages, "rows": text.count('<tr id="organisation-'),
                "breaking": len(json.loads(body)["organisations_breaking_rules"]), "old": old}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per URL, best kept (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class")
    parser.add_argument("--gunicorn", nargs="*", default=[], help="further gunicorn options")
    args = parser.parse_args()
    print(f"bench_party_report: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; best of {args.repeat} requests")
    r = _bench(args)
    old = r["old"]
    print(f"\norganisations in the district: {old['organisations']:,}, {r['pages']} pages of the report ({r['rows']} rows on the first); "
          f"{r['breaking']} break a rule")
    print(f"  ours   GET /people/party                 {r['first'] * 1000:8.1f} ms")
    print(f"  ours   GET /people/party?page={max(1, r['pages'] // 2):<3}         {r['middle'] * 1000:8.1f} ms")
    print(f"  ours   GET /api/party-organisations/report {r['api'] * 1000:6.1f} ms (every organisation judged)")
    print(f"  anchor the old per-organisation query     {old['seconds'] * 1000:8.1f} ms in process, {old['queries']:,} queries")
    print(f"  ratio  old query / page: {old['seconds'] / r['first']:.1f}x; old query / API report: {old['seconds'] / r['api']:.1f}x")
    worst = max(r["first"], r["middle"], r["api"]) * 1000
    print(f"\ngoal: the party report under {GOAL_MS} ms on the demo: slowest {worst:.1f} ms -> {'MET' if worst < GOAL_MS else 'NOT MET'}")


if __name__ == "__main__":
    main()
