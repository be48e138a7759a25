"""What the platform writes to disk is readable by its own account only: the var directory,
the SQLite database with its -wal and -shm files, and stored photos and their directories."""

import os
import stat
import subprocess
import sys

from tests.cases.factories import case_in
from tests.test_errors import _png

# Modes read while the connection is open: SQLite removes -wal and -shm when the last one closes.
OPEN_AND_WRITE = """
import os, stat, django
os.umask(0o022)  # permissive, as a service manager may give: the platform must not rely on it
django.setup()
from django.db import connection
cursor = connection.cursor()
cursor.execute("create table t (x)")
cursor.execute("insert into t values (1)")
name = connection.settings_dict["NAME"]
print(*(oct(stat.S_IMODE(os.stat(f"{name}{suffix}").st_mode)) for suffix in ("", "-wal", "-shm")))
"""


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_it_keeps_the_var_directory_and_sqlite_files_private(tmp_path):
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(WANGGE_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="wangge.settings")
    done = subprocess.run([sys.executable, "-c", OPEN_AND_WRITE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0o600"] * 3
    assert mode(var) == 0o700
    assert mode(var / "secret_key") == 0o600


def test_it_stores_photos_readable_by_the_platform_only(api, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    previous = os.umask(0o022)
    try:
        response = api.post(f"/api/cases/{case_in(people, people.home_grid).pk}/photos", token=people.grid_worker.token,
                            files={"file": ("a.png", _png(), "image/png")})
    finally:
        os.umask(previous)
    assert response.status_code == 201, response.text
    files = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    directories = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_dir()]
    assert files and directories
    assert {mode(p) for p in files} == {0o600}
    assert {mode(p) for p in [settings.MEDIA_ROOT, *directories]} == {0o700}
