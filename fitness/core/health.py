"""
`/healthz` for load balancers and monitors, and the benchmark's minimal view.

The check is real but cheap: one `SELECT 1` on the database and one set/get round trip on the
cache. It answers 200 `{"database": "ok", "cache": "ok"}`, or 503 with the failing part named
(`{"database": "ok", "cache": "error: ConnectionError"}`), is never cached and is exempt from the
HTTPS redirect (SECURE_REDIRECT_EXEMPT), so a proxy can probe the process over plain HTTP.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("value written was not read back")
    finally:
        cache.delete(key)


CHECKS = {"database": check_database, "cache": check_cache}


def run_checks():
    """{name: "ok" | "error: <ExceptionType>"} for every check; never raises."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.error("healthz %s failed: %s: %s", name, type(error).__name__, error)
            results[name] = f"error: {type(error).__name__}"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_safe
def healthz(request):
    results = run_checks()
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if healthy else 503)


@require_safe
def minimal(request):
    """The framework's floor for benchmarks: routing and middleware, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
