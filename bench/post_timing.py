"""
A comment post timed in-process, as a gunicorn worker runs it (middleware included): wall and
CPU time, SQL queries (bench/http_bench.py, its `--post-only` run).
"""

import statistics
import sys


def comment_posts(article, count, *, show_queries=False):
    """Median time and queries of `count` comment posts, in-process (middleware included)."""
    import time as clock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from comments.web.forms import HONEYPOT_FIELD, sign_timestamp

    times, cpu, queries, statuses = [], [], [], []
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(article.get_absolute_url())  # loads the middleware once, as a worker does
    for index in range(count):
        client.cookies.clear()  # every post from a new reader
        data = {
            "comment": f"Benchmark comment {index}: the warm-up advice worked for me.",
            "name": f"Poster {index}",
            "email": f"poster{index}@example.com",
            "website": "",
            "parent": "",
            "timestamp": sign_timestamp(article.pk, clock.time() - 10),
            HONEYPOT_FIELD: "",
        }
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = clock.perf_counter(), clock.process_time()
            response = client.post(
                f"/comments/post/{article.pk}/", data, REMOTE_ADDR=f"198.51.100.{index + 1}"
            )
            times.append((clock.perf_counter() - started) * 1000)
            cpu.append((clock.process_time() - cpu_started) * 1000)
        statuses.append(response.status_code)
        queries.append(len(captured.captured_queries))
    if show_queries:
        for query in captured.captured_queries:
            print(query["sql"][:300], file=sys.stderr)
    return {
        "posts": count,
        "median_ms": round(statistics.median(times), 2),
        "median_cpu_ms": round(statistics.median(cpu), 2),  # this process: the emulator too
        "p90_ms": round(statistics.quantiles(times, n=10)[-1], 2),
        "median_queries": statistics.median(queries),
        "max_queries": max(queries),
        "statuses": sorted(set(statuses)),
    }
