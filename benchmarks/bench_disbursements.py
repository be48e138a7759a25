"""Benchmark: 200 disbursement requests at the same moment against one project's budget line on
PostgreSQL, over HTTP, served as `make run` serves: none overspends, none is lost.

Run from the project root (PostgreSQL must answer at BENCH_POSTGRES, default
postgres://postgres@127.0.0.1:5432/postgres):

    .venv/bin/python benchmarks/bench_disbursements.py                 # under a minute
    .venv/bin/python benchmarks/bench_disbursements.py --requests 400 --room 300

Setup (not timed): a private database `wangge_bench_funds` (created here and dropped at the end),
migrated; a community's allocation and one implementing project whose budget line holds --room
payments of 10 yuan; a community official with an API token; gunicorn started exactly as
`make run` starts it (`gunicorn -c python:wangge.gunicorn_conf wangge.wsgi:application`: sync
workers, 2 x cores + 1 unless --workers) on a free loopback port.

Load: --requests threads, each with its own connection, wait at one barrier and then each POST
/api/funds/projects/<id>/disbursements once (multipart, a PNG receipt, its own invoice number
and Idempotency-Key, 10 yuan). The server holds the line's and the allocation's rows locked
while it checks and adds, so the payments are taken one at a time and the ones past the budget
refused (400).

Checked after: 201s == --room (the budget spent exactly), every other answer a 400 naming the
budget, the ids answered 201 are exactly the rows stored (none lost, none extra), and the line's
and allocation's spent equal the sum of the rows. Printed: those, the throughput (requests / wall
time from the barrier to the last answer) and p50 / p99 latency; the anchor is GET /health on
the same server in the same run, timed the same way.

This is not a test; pytest does not collect it. It sends traffic only to 127.0.0.1 and stops by
itself.
"""

import argparse
import io
import os
import threading
import time
from pathlib import Path

import requests

from common import on_private_database
from serving import serve, served_settings, stop

DATABASE = "wangge_bench_funds"
AMOUNT_FEN = 1_000
COMMUNITY = "410104001001"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 40), (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _world(room: int) -> tuple[int, str, int]:
    """The project, the official's token and the line's id."""
    from wangge.accounts.auth import token_issue
    from wangge.accounts.models import Role, User
    from wangge.projects.funds import services
    from wangge.projects.models import Category, Project

    category = Category.objects.create(code="life", name="生活服务类", order=1)
    project = Project.objects.create(number="B0001", title="老年助餐服务", category=category, community_code=COMMUNITY, scope="助餐", year=time.localtime().tm_year)
    services.allocation_set(actor=None, community_code=COMMUNITY, year=project.year, source="community_service", amount_fen=room * AMOUNT_FEN)
    line = services.budget_line_set(actor=None, project=project, source="community_service", amount_fen=room * AMOUNT_FEN)
    Project.objects.filter(pk=project.pk).update(status="implementing")
    official = User.objects.create(username="bench_community", role=Role.COMMUNITY_OFFICIAL, scope_code=COMMUNITY)
    return project.pk, token_issue(user=official), line.pk


def _race(n: int, send) -> tuple[list, float]:
    """(answers, wall seconds from the barrier to the last answer); an answer is (status, body, seconds)."""
    barrier, answers, lock = threading.Barrier(n + 1), [], threading.Lock()

    def run(i: int) -> None:
        session = requests.Session()
        barrier.wait()
        start = time.perf_counter()
        try:
            response = send(session, i)
            answer = (response.status_code, response.json() if response.headers.get("content-type", "").startswith("application/json") else {}, time.perf_counter() - start)
        except requests.RequestException as failed:
            answer = (0, {"detail": str(failed)}, time.perf_counter() - start)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - start


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _run(args) -> None:
    from django.core.management import call_command
    from django.db import connections
    from django.db.models import Sum

    from wangge.projects.models import Allocation, BudgetLine, Disbursement

    call_command("migrate", verbosity=0)
    project_id, token, line_id = _world(args.room)
    connections.close_all()
    receipt = _png()
    log = Path(os.environ["WANGGE_VAR_DIR"]) / "gunicorn.log"
    proc, url = serve(dict(os.environ), log, workers=args.workers)
    print(f"served: {served_settings(log)}")
    headers = {"Authorization": f"Bearer {token}"}
    today = time.strftime("%Y-%m-%d")

    def pay(session, i):
        form = {"source": "community_service", "payee": "郑州市暖心助餐服务中心", "purpose": "老年助餐配送", "expense_type": "services",
                "paid_on": today, "amount_fen": str(AMOUNT_FEN), "invoice_number": f"BENCH-{i:05d}"}
        return session.post(f"{url}/api/funds/projects/{project_id}/disbursements", data=form, files={"receipt": ("fapiao.png", receipt, "image/png")},
                            headers={**headers, "Idempotency-Key": f"bench-{i}"}, timeout=120)

    try:
        _race(min(args.requests, 20), lambda session, i: session.get(f"{url}/health", timeout=60))  # warm the workers
        anchor, anchor_wall = _race(args.requests, lambda session, i: session.get(f"{url}/health", timeout=120))
        answers, wall = _race(args.requests, pay)
    finally:
        stop(proc)

    paid = [body for status, body, _ in answers if status == 201]
    refused = [body for status, body, _ in answers if status == 400]
    other = [(status, body) for status, body, _ in answers if status not in (201, 400)]
    budget_refusals = sum(1 for body in refused if any(e.get("field") == "amount_fen" and e.get("reason", "").startswith("超出该来源预算") for e in body.get("errors", [])))
    stored = set(Disbursement.objects.filter(line_id=line_id).values_list("pk", flat=True))
    total = Disbursement.objects.filter(line_id=line_id, reversed_at__isnull=True).aggregate(total=Sum("amount_fen"))["total"] or 0
    line = BudgetLine.objects.get(pk=line_id)
    allocation = Allocation.objects.get(community_code=COMMUNITY, year=line.project.year, source=line.source)
    latencies = [seconds for _, _, seconds in answers]
    anchor_latencies = [seconds for _, _, seconds in anchor]

    print(f"\n{args.requests} payments of ¥{AMOUNT_FEN / 100:.2f} at once against a line of ¥{line.amount_fen / 100:,.2f} ({args.room} payments' worth)")
    print(f"  answered: {len(paid)} paid (201), {len(refused)} refused (400, {budget_refusals} of them '超出该来源预算'), {len(other)} other")
    for status, body in other[:5]:
        print(f"    other: {status} {str(body)[:200]}")
    overspent = line.spent_fen > line.amount_fen or allocation.spent_fen > allocation.amount_fen
    lost = {body["id"] for body in paid} != stored
    print(f"  spent: line ¥{line.spent_fen / 100:,.2f}, allocation ¥{allocation.spent_fen / 100:,.2f}, rows ¥{total / 100:,.2f} "
          f"-> {'OVERSPENT' if overspent else 'none overspends'}; books {'balance' if line.spent_fen == allocation.spent_fen == total else 'DO NOT BALANCE'}")
    print(f"  rows stored {len(stored)}, ids answered 201 {len(paid)} -> {'SOME LOST OR EXTRA' if lost else 'none lost'}")
    print(f"  {'':8} {'':44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"  {'ours':8} {'POST .../disbursements (multipart, locked)':44} {args.requests / wall:8,.0f} {_percentile(latencies, 0.5) * 1000:8.1f} {_percentile(latencies, 0.99) * 1000:8.1f}")
    print(f"  {'anchor':8} {'GET /health, same server, same way':44} {args.requests / anchor_wall:8,.0f} {_percentile(anchor_latencies, 0.5) * 1000:8.1f} "
          f"{_percentile(anchor_latencies, 0.99) * 1000:8.1f}")
    print(f"  ratio: payments / health throughput {(args.requests / wall) / (args.requests / anchor_wall):.3f}")
    exact = len(paid) == args.room and budget_refusals == args.requests - args.room and not other
    print(f"\ngoal: none overspends, none is lost, the budget spent exactly -> {'MET' if exact and not overspent and not lost else 'NOT MET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="payment requests sent at once (default 200)")
    parser.add_argument("--room", type=int, default=150, help="payments the budget line holds (default 150)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn worker processes (WEB_CONCURRENCY; default gunicorn_conf's 2 x cores + 1)")
    parser.add_argument("--keep", action="store_true", help="leave the database behind (drop it yourself)")
    args = parser.parse_args()
    args.repeat = 1
    on_private_database(DATABASE, "bench_disbursements", args, _run)


if __name__ == "__main__":
    main()
