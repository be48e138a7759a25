"""The SQLite database and its -wal and -shm files are readable by the platform's account only.

SQLite creates -wal and -shm with the database file's mode, so once the database file is 0600
all three stay private. Nothing is created here: a refused restore must leave no database behind.
"""

from pathlib import Path


def sqlite_files_private(name: str) -> None:
    if name in ("", ":memory:") or name.startswith("file:"):
        return
    for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
        if path.exists():
            path.chmod(0o600)
