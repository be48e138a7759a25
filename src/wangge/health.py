"""GET /health: the process answers and its database does, for a load balancer or a monitor.

No sign-in and nothing personal: it says only "ok" (200) or that the database did not answer
(503). It goes through the same middleware as every page, so it also serves benchmarks as the
cheapest request the server can answer (benchmarks/bench_reports.py).
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("数据库无响应", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
