"""`make run`, the browser tests' server and the HTTP benchmarks serve the platform the same way
(gunicorn with `wangge.gunicorn_conf`), and the server it starts keeps its database connections
open between requests, as production does. Nothing here is timed (benchmarks/bench_portal.py
measures what that is worth)."""

import importlib.util
import os
import re
import shlex
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    BIN,
    _free_port,
    _wangge,
    gunicorn_command,
    start_gunicorn,
    stop_gunicorn,
)

ROOT = Path(__file__).resolve().parent.parent
SETTLE_S = 3
KEPT = re.compile(r"database connections kept for (\d+) s \(health checks (on|off)\)")

# Each server is set up on a SQLite file of its own, whatever DATABASE_URL names.
pytestmark = pytest.mark.own_database


def _make_run_command() -> tuple[dict[str, str], list[str]]:
    """The server command `make run` would run (make -n prints it without running anything)."""
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    printed = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in printed.splitlines() if "gunicorn" in line)
    words = shlex.split(line)
    env = dict(word.split("=", 1) for word in words if re.fullmatch(r"[A-Z_]+=.*", word))
    return env, [word for word in words if word.split("=", 1)[0] not in env]


def _benchmark_serving():
    spec = importlib.util.spec_from_file_location("bench_serving", ROOT / "benchmarks" / "serving.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _relative(command: list[str]) -> list[str]:
    return [Path(command[0]).name, *command[1:]]


def test_it_serves_make_run_the_browser_tests_and_the_benchmarks_with_one_command():
    env, command = _make_run_command()
    assert Path(command[0]).name == "gunicorn"
    assert command[1:] == ["-c", "python:wangge.gunicorn_conf", "wangge.wsgi:application"]
    assert env == {"PORT": "8000"}  # the port reaches the config through the environment
    assert _relative(gunicorn_command()) == _relative(command)
    assert _relative(_benchmark_serving().gunicorn_command()) == _relative(command)
    assert Path(gunicorn_command()[0]).parent == BIN


def _workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _holds_open(pid: int, path: Path) -> bool:
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if Path(os.readlink(fd)) == path:
                return True
        except OSError:
            continue
    return False


@pytest.fixture
def var_dir(tmp_path):
    env = dict(os.environ, WANGGE_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    env.pop("DB_CONN_MAX_AGE", None)
    _wangge(env, "migrate", "--noinput", "-v0")
    return env


def _serve_and_ask(env: dict[str, str], log: Path, workers: int) -> tuple[list[int], list[str]]:
    """Start the server as the browser tests do, send it /health a few times, and return,
    while it still runs, the workers holding the database file open, and its log. (With one
    worker every request reaches it; a worker that answered none may still hold what it opened
    while starting.)"""
    url = f"http://127.0.0.1:{_free_port()}"
    proc = start_gunicorn(env, url, log, workers=workers)
    try:
        for _ in range(4 * workers):
            with urllib.request.urlopen(url + "/health", timeout=10) as answer:
                assert answer.status == 200
        database = (Path(env["WANGGE_VAR_DIR"]) / "wangge.sqlite3").resolve()
        workers_seen = _workers_of(proc.pid)
        assert len(workers_seen) == workers
        # A worker sends its answer before it closes the request (and with it, a connection
        # not kept): give it time to, so that a connection still open afterwards is one kept.
        deadline = time.monotonic() + SETTLE_S
        while True:
            holding = [pid for pid in workers_seen if _holds_open(pid, database)]
            if not holding or time.monotonic() > deadline:
                return holding, log.read_text().splitlines()
            time.sleep(0.1)
    finally:
        stop_gunicorn(proc)


def test_it_keeps_database_connections_open_between_requests(var_dir, tmp_path):
    holding, log = _serve_and_ask(var_dir, tmp_path / "kept.log", workers=1)
    kept = [KEPT.search(line) for line in log if KEPT.search(line)]
    assert len(kept) == 1  # the worker's line, from the settings it serves with
    assert int(kept[0][1]) > 0 and kept[0][2] == "on"
    # After its answers a worker still has the database open: its connection persists.
    assert holding, "no worker kept its database connection after answering"


def test_it_closes_them_after_each_request_when_told_to(var_dir, tmp_path):
    """The contrast that gives the test above its meaning: with DB_CONN_MAX_AGE=0 the workers
    let the database go after every answer."""
    holding, log = _serve_and_ask(dict(var_dir, DB_CONN_MAX_AGE="0"), tmp_path / "per-request.log", workers=1)
    assert [KEPT.search(line)[1] for line in log if KEPT.search(line)] == ["0"]
    assert holding == []


def test_the_access_log_keeps_paths_without_what_was_searched(var_dir, tmp_path):
    log = tmp_path / "access.log"
    url = f"http://127.0.0.1:{_free_port()}"
    proc = start_gunicorn(dict(var_dir, WANGGE_ACCESS_LOG="-"), url, log)
    try:
        asked = urllib.request.Request(url + "/health?q=13812345678&name=%E5%BC%A0%E4%B8%89", headers={"Referer": url + "/cases/dispatch?q=13987654321"})
        with urllib.request.urlopen(asked, timeout=10) as answer:
            assert answer.status == 200
    finally:
        stop_gunicorn(proc)
    written = log.read_text()
    assert '"GET /health HTTP/1.1" 200' in written
    assert "13812345678" not in written and "13987654321" not in written and "%E5%BC%A0" not in written
