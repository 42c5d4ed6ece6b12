"""
A comment post timed in-process, as a gunicorn worker runs it (middleware included): wall and
CPU time, SQL queries (bench/http_bench.py, its `--post-only` run).

The timed posts run without Django's query capture (it wraps every cursor call, which a worker
does not); the queries are counted on posts of their own after them, sent the same way.
"""

import statistics
import sys

COUNTED_POSTS = 10


def comment_posts(article, count, *, show_queries=False):
    """Median time of `count` comment posts and the queries of COUNTED_POSTS more, in-process
    (middleware included), each from a new reader."""
    import time as clock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(article.get_absolute_url())  # loads the middleware once, as a worker does
    times, cpu, queries, statuses = [], [], [], []
    for index in range(count):
        started, cpu_started = clock.perf_counter(), clock.process_time()
        response = _post(client, article, index)
        times.append((clock.perf_counter() - started) * 1000)
        cpu.append((clock.process_time() - cpu_started) * 1000)
        statuses.append(response.status_code)
    for index in range(count, count + COUNTED_POSTS):
        with CaptureQueriesContext(connection) as captured:
            statuses.append(_post(client, article, index).status_code)
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


def _post(client, article, index):
    """One reader's comment, as the article's form sends it."""
    import time as clock

    from comments.web.forms import HONEYPOT_FIELD, sign_timestamp

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
    return client.post(
        f"/comments/post/{article.pk}/", data, REMOTE_ADDR=f"198.51.100.{index % 250 + 1}"
    )
