"""Done when "a page altered behind the platform's back is caught by `wangge portal verify`":
the platform set up the way `make run` sets it up (its own SQLite database, with the demo),
a published page's row changed with SQL as an intruder with database access would, and the
real command run as operations run it."""

import os
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import BIN, _free_port, prepare_var_dir, start_gunicorn, stop_gunicorn

pytestmark = pytest.mark.own_database  # its own SQLite file, whatever DATABASE_URL names


def _verify(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "wangge"), "portal", "verify"], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory) -> dict[str, str]:
    var_dir = tmp_path_factory.mktemp("wangge-portal-var")
    env = dict(os.environ, WANGGE_VAR_DIR=str(var_dir))
    env.pop("DATABASE_URL", None)
    prepare_var_dir(env, cases=False)
    return env


def _database(env: dict[str, str]) -> sqlite3.Connection:
    return sqlite3.connect(Path(env["WANGGE_VAR_DIR"]) / "wangge.sqlite3")


def test_the_unaltered_demo_passes(demo_env):
    done = _verify(demo_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "未发现异常" in done.stdout


def test_a_page_altered_with_sql_is_caught_and_served_altered_meanwhile(demo_env):
    with _database(demo_env) as db:
        pk, body = db.execute("SELECT id, body FROM portal_article WHERE stage = 'published' ORDER BY id LIMIT 1").fetchone()
        db.execute("UPDATE portal_article SET body = ? WHERE id = ?", (body + '<p><a href="https://spam.example">澳门赌场官网</a></p>', pk))
    url = f"http://127.0.0.1:{_free_port()}"
    server = start_gunicorn(demo_env, url, Path(demo_env["WANGGE_VAR_DIR"]) / "gunicorn.log")
    try:
        with urllib.request.urlopen(f"{url}/news/{pk}", timeout=30) as response:
            assert "spam.example" in response.read().decode()  # the intruder's change is live ...
    finally:
        stop_gunicorn(server)
    done = _verify(demo_env)  # ... and the check catches it
    assert done.returncode != 0
    assert f"/news/{pk}" in done.stdout
    assert "内容与发布时封存的摘要不一致" in done.stdout and "含敏感词" in done.stdout
    with _database(demo_env) as db:
        db.execute("UPDATE portal_article SET body = ? WHERE id = ?", (body, pk))
    assert _verify(demo_env).returncode == 0  # put back, it passes again
