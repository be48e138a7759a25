"""What both benchmarks share: the best-of-N timer and the line that names the machine."""

import os
import platform
import tempfile
import time
from contextlib import contextmanager

import numpy as np
import shapely


def best_of(repeat: int, function):
    """(best wall-clock seconds, result of the last run)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def machine_line(name: str, repeat: int) -> str:
    return (
        f"{name}: Python {platform.python_version()}, Shapely {shapely.__version__}, GEOS {shapely.geos_version_string}, "
        f"numpy {np.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; best of {repeat} runs"
    )


@contextmanager
def bulk_loading(cursor, table: str, *, triggers: list[str] = ()):
    """Load `table` as a bulk load is done: its secondary indexes, constraints (but the primary
    key) and the named triggers off while the body inserts, then rebuilt and back on."""
    cursor.execute("""SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                      WHERE conrelid = %s::regclass AND contype <> 'p'""", [table])
    constraints = cursor.fetchall()
    cursor.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s
                      AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)""", [table, table])
    indexes = cursor.fetchall()
    for name, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for trigger in triggers:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    cursor.execute("SET synchronous_commit = off")
    yield
    cursor.execute("SET maintenance_work_mem = '1GB'")
    for _, definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for trigger in triggers:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def on_private_database(database: str, name: str, args, run) -> None:
    """Create `database` on the PostgreSQL server at BENCH_POSTGRES (default the local one),
    point Django at it, print the machine line, `run(args)`, and drop it at the end unless
    `args.keep`."""
    import psycopg

    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {database}")
        admin.execute(f"CREATE DATABASE {database}")
        version = admin.execute("SHOW server_version").fetchone()[0]
    print(machine_line(name, args.repeat) + f"; PostgreSQL {version}")
    try:
        with tempfile.TemporaryDirectory(prefix="wangge-bench-") as var_dir:
            os.environ["WANGGE_VAR_DIR"] = var_dir
            os.environ["DATABASE_URL"] = f"{server.rsplit('/', 1)[0]}/{database}"
            os.environ.pop("WANGGE_FIELD_KEY", None)
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
            import django

            django.setup()
            run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
