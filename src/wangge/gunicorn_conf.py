"""How gunicorn serves the platform: `make run`, the browser tests and the HTTP benchmarks all
start `gunicorn -c python:wangge.gunicorn_conf wangge.wsgi:application`, so what is measured
and tested is what runs.

Environment: PORT (8000) and WANGGE_BIND_HOST (127.0.0.1) for the address, WEB_CONCURRENCY for
the number of worker processes (2 x cores + 1 unless set), GUNICORN_TIMEOUT (120 s),
WANGGE_ACCESS_LOG for the access log (a file, or "-" for standard output; none unless set).
"""

import multiprocessing
import os

bind = f"{os.environ.get('WANGGE_BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers take a connection only when they are free; gthread workers keep each keep-alive
# connection with the worker that accepted it, and under load two or three of them held most
# connections while the rest idled (benchmarks/README.md, bench_reports). Behind a proxy that
# buffers slow clients, as production runs, sync workers are gunicorn's own advice.
worker_class = "sync"
# Each worker keeps one database connection open: on a large machine set WEB_CONCURRENCY so
# that all servers' workers stay below PostgreSQL's max_connections (100 by default).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
backlog = 2048
# Workers import Django after the fork, so that each opens its own database connection and
# keeps it (settings.CONN_MAX_AGE) rather than sharing the master's.
preload_app = False
accesslog = os.environ.get("WANGGE_ACCESS_LOG") or None
# The path without its query string, and no referrer (whose query is the page's): what people
# search for (a mobile, a name, a receipt number and its follow code) never reaches the log.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'


def post_worker_init(worker):
    """Say, once per worker, whether database connections persist: the served settings, read
    where they take effect (the test of `make run` checks this line)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    worker.log.info(
        "database connections kept for %s s (health checks %s)",
        database["CONN_MAX_AGE"],
        "on" if database["CONN_HEALTH_CHECKS"] else "off",
    )
