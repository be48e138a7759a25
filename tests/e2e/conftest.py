"""A real server for browser tests, started the way `make run` starts one.

The platform is set up in a throw-away directory (its own SQLite database, secret key and
collected static files), filled with the demo district, given a fresh admin account and
served by gunicorn. Nothing here touches the test database of the rest of the suite, so these
tests never request pytest-django's `db` fixture.
"""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from wangge.accounts import totp

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT_S = 60
ADMIN_LINE = re.compile(r"用户名：(?P<username>\S+)\s+密码：(?P<password>\S+)")


@dataclass(frozen=True)
class RunningServer:
    url: str
    username: str
    password: str
    env: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # for `wangge` commands on its data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wangge(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "wangge"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        pytest.fail(
            f"`wangge {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
            pytrace=False,
        )
    return done.stdout


def _wait_until_answering(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {proc.returncode}:\n{log.read_text()}", pytrace=False
            )
        try:
            with urllib.request.urlopen(url + "/login", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"gunicorn did not answer at {url} within {STARTUP_TIMEOUT_S} s:\n{log.read_text()}",
        pytrace=False,
    )


def prepare_var_dir(env: dict[str, str], *, cases: bool = True) -> None:
    """Set up the database and static files named by `env` the way `make run` does (without
    the demo's year of cases when a test wants only its own)."""
    _wangge(env, "migrate", "--noinput", "-v0")
    _wangge(env, "collectstatic", "--noinput", "-v0")
    _wangge(env, "demo", *([] if cases else ["--no-cases"]))


# What `make run` runs (the Makefile's last line); tests/test_serving.py keeps the two equal.
GUNICORN = ["gunicorn", "-c", "python:wangge.gunicorn_conf", "wangge.wsgi:application"]


def gunicorn_command() -> list[str]:
    return [str(BIN / GUNICORN[0]), *GUNICORN[1:]]


def start_gunicorn(env: dict[str, str], url: str, log: Path, *, workers: int = 1) -> subprocess.Popen:
    """gunicorn serving `url` as `make run` starts it (src/wangge/gunicorn_conf.py), with
    `workers` processes (WEB_CONCURRENCY: one unless a test needs more, so that per-process
    caches and counters behave as a test expects), returned once it answers. Its own process
    group, so that a test can kill the master and its workers at once (`os.killpg`) as a power
    cut would; the log is appended to, so that it tells the whole story across restarts."""
    env = dict(env, PORT=url.rsplit(":", 1)[1], WEB_CONCURRENCY=str(workers))
    with log.open("a") as log_file:
        proc = subprocess.Popen(
            gunicorn_command(), env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_until_answering(url, proc, log)
    except BaseException:
        stop_gunicorn(proc)
        raise
    return proc


def stop_gunicorn(proc: subprocess.Popen) -> None:
    """Stop gunicorn as Ctrl-C would; kill its whole process group if it does not go."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def wangge_server(tmp_path_factory) -> Iterator[RunningServer]:
    var_dir = tmp_path_factory.mktemp("wangge-var")
    env = dict(os.environ, WANGGE_VAR_DIR=str(var_dir))
    env.pop("DATABASE_URL", None)  # always the SQLite database in var_dir

    prepare_var_dir(env)
    printed = _wangge(env, "ensureadmin")
    admin = ADMIN_LINE.search(printed)
    if admin is None:
        pytest.fail(f"no credentials in the output of `wangge ensureadmin`: {printed!r}", pytrace=False)

    url = f"http://127.0.0.1:{_free_port()}"
    proc = start_gunicorn(env, url, var_dir / "gunicorn.log")
    try:
        yield RunningServer(url=url, username=admin["username"], password=admin["password"], env=env)
    finally:
        stop_gunicorn(proc)


@pytest.fixture(scope="session")
def browser():
    # No skip when Chromium is missing: the launch fails, loudly.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


SET_PASSWORD = """
from django.contrib.auth import get_user_model
from wangge.accounts.services import password_change
user = get_user_model().objects.get(username={username!r})
password_change(user=user, new_password={password!r}, actor=user)
"""


def _second_factor(page, server: RunningServer) -> None:
    """Officials give a TOTP code after the password; one without a device enrols first. The
    code is computed from the secret the enrolment page shows, as the phone app would."""
    if page.url.startswith(server.url + "/account/totp"):
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.fill("#id_code", totp.code_at(secret))
        page.click("[type=submit]")


def log_in(page, server: RunningServer, *, next_path: str = "/grids", username: str | None = None, password: str | None = None) -> None:
    """Sign in through the sign-in page, as the admin unless another account is named."""
    page.goto(f"{server.url}/login?next={next_path}")
    page.fill("#id_username", username or server.username)
    page.fill("#id_password", password or server.password)
    page.click("[type=submit]")
    expect(page).to_have_url(server.url + next_path)


def sign_in_as(context, server: RunningServer, username: str) -> None:
    """Sign a browser context in as one of the demo's accounts, e.g. a grid worker `gw<code>`.

    The demo's accounts have unusable passwords; this gives the account one on the server, as
    an administrator would, and then signs in through the sign-in page like its owner.
    """
    page = context.new_page()
    sign_in_on(page, server, username)
    expect(page.locator(".who")).to_be_visible()
    page.close()


def sign_in_on(page, server: RunningServer, username: str) -> None:
    """Give a demo account a password and sign in with it on `page`, which is left where the
    sign-in led (the account's landing)."""
    password = "Aa1-" + secrets.token_urlsafe(12)  # the password policy: 12+ characters, 3 classes
    _wangge(server.env, "shell", "-c", SET_PASSWORD.format(username=username, password=password))
    page.goto(f"{server.url}/login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[type=submit]")
    page.wait_for_load_state()
    _second_factor(page, server)
