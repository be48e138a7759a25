"""What the HTTP benchmarks share: a throw-away server run the way `make run` runs one
(gunicorn with src/wangge/gunicorn_conf.py), wrk on loopback with a Lua script that prints one JSON line, and the CPU
each party used during a measurement."""

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent

DONE = r"""
function done(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "bad_status": %d, "errors": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def wangge(env: dict, *args: str) -> str:
    done = subprocess.run([str(BIN / "wangge"), *args], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"`wangge {' '.join(args)[:60]}` failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def demo_site(var_dir: str) -> dict:
    """The environment of a throw-away site in `var_dir`: its own SQLite database, migrated and
    filled by `wangge demo`, its static files collected, as `make run` prepares one."""
    env = dict(os.environ, WANGGE_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="wangge.settings")
    for name in ("WANGGE_FIELD_KEY", "DATABASE_URL"):
        env.pop(name, None)
    wangge(env, "migrate", "--noinput", "-v0")
    wangge(env, "collectstatic", "--noinput", "-v0")
    wangge(env, "demo")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in a process group (gunicorn and its workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK"), sum(values) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, script: Path, *, connections: int, seconds: float, run: str) -> dict:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script), url, "--", run],
        capture_output=True, text=True, timeout=seconds + 60,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line.removeprefix("RESULT "))
    result["wrk_cpu_s"] = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    result["stderr"] = done.stderr.strip()
    return result


def measure(url: str, scripts: dict, *, connections: int, seconds: float, run: str, server_pgid: int) -> dict:
    wall, busy, cpu = time.perf_counter(), machine_busy_seconds(), group_cpu_seconds(server_pgid)
    result = wrk(url, scripts[run.split("-")[0]], connections=connections, seconds=seconds, run=run)
    wall = time.perf_counter() - wall
    busy_after = machine_busy_seconds()
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    result["server_cpu"] = (group_cpu_seconds(server_pgid) - cpu) / wall
    result["wrk_cpu"] = result["wrk_cpu_s"] / wall
    result["machine_busy"] = (busy_after[0] - busy[0]) / (busy_after[1] - busy[1])  # share of all cores
    return result


# What `make run` runs (the Makefile's last line), and so what is measured; a test keeps the two
# equal (tests/test_serving.py).
GUNICORN = ["gunicorn", "-c", "python:wangge.gunicorn_conf", "wangge.wsgi:application"]


def gunicorn_command() -> list[str]:
    return [str(BIN / GUNICORN[0]), *GUNICORN[1:]]


def serve(env: dict, log: Path, *, workers: int | None = None) -> tuple[subprocess.Popen, str]:
    """gunicorn as `make run` starts it (src/wangge/gunicorn_conf.py) on a free loopback port;
    `workers` sets WEB_CONCURRENCY, the one knob that file reads besides the port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(env, PORT=str(port))
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    with log.open("a") as out:
        proc = subprocess.Popen(gunicorn_command(), env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit(f"gunicorn did not answer:\n{log.read_text()}")


def served_settings(log: Path) -> str:
    """The line each worker logs about its database connections (gunicorn_conf.post_worker_init)."""
    return next((line.split("] ", 2)[-1] for line in log.read_text().splitlines() if "database connections kept" in line), "not logged")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
