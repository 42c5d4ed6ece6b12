#!/usr/bin/env python
"""
HTTP benchmark: gunicorn (2 workers, the repository's gunicorn.conf.py) measured with wrk on
127.0.0.1.

For articles with N = 100, 1,000 and 5,000 approved comments: requests per second and p50/p99
latency of the article page through nginx with the deploy example's microcache, of the same
bytes served by nginx as a static file (the physical limit), of the page straight from gunicorn
with the embedded page store (no nginx) and with every cache off, and of a minimal Django view
(the framework's floor); Django's own time for a 304; the median time and the SQL queries of a
comment post (screening included, the Akismet emulator answering); the peak memory (VmHWM) of
each worker.

    .venv/bin/python bench/http_bench.py [--duration 5] [--connections 10] [--threads 2]
    .venv/bin/python bench/http_bench.py --post-only [--posts 40] [--show-queries]

`--post-only` measures the in-process comment post alone (no wrk, nginx or gunicorn: about
half a minute); `--show-queries` prints the SQL of the last post.

PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (its own database `fitness_bench`
and cache key prefix), SQLite + local-memory cache otherwise. Needs wrk and nginx
(apt-get install wrk nginx). Figures go to stdout (a Markdown table) and
bench/results/http.json. Takes about three minutes.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from nginx import NGINX, Nginx
from post_timing import comment_posts
from serving import (
    RESULTS,
    Gunicorn,
    bench_django,
    create_article,
    load,
)

SIZES = (100, 1_000, 5_000)
POSTS = 40
WRK = "/usr/bin/wrk"
# "every cache off": page store, thread cache, page shells (fitness/core/page_shells.py).
EVERY_CACHE_OFF = {
    "PAGE_CACHE_SECONDS": "0",
    "COMMENTS_THREAD_CACHE_SECONDS": "0",
    "PAGE_SHELLS_KEPT": "0",
}


# --- Measuring ---------------------------------------------------------------------------------

LATENCY_LINE = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, *, duration, connections, threads):
    """{"rps", "p50_ms", "p99_ms", "errors"} from one wrk run."""
    output = subprocess.run(
        [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = {pct: float(value) * UNIT[unit] for pct, value, unit in LATENCY_LINE.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": round(latency["50"], 2),
        "p99_ms": round(latency["99"], 2),
        "errors": int(errors.group(1)) if errors else 0,
    }


def rps(figures):
    return figures["rps"]


def handler_time(paths, repeat=2000, cpu=None):
    """{label: microseconds per GET} for `paths` ({label: path or (path, {header: value})}),
    through Django's WSGI handler; `cpu`, a dict, gets the same figures in this process's CPU
    time (steadier than the wall clock when others share the cores).

    All the middleware, no server: steadier than req/s on a shared machine (no wrk, no sockets
    but Redis and PostgreSQL), and what Django itself spends on a request. Every GET comes from
    a new reader (no cookies), as with wrk.
    """
    import io

    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def get(path, headers=None):
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, **(headers or {}),
        }  # fmt: skip
        body = application(environ, lambda status, headers, exc_info=None: None)
        b"".join(body)
        body.close()

    times = {}
    for label, path in paths.items():
        path, headers = path if isinstance(path, tuple) else (path, None)
        for _ in range(200):  # warm: the page is stored, templates and connections are ready
            get(path, headers)
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            get(path, headers)
        times[label] = round((time.perf_counter() - started) / repeat * 1e6, 1)
        if cpu is not None:
            cpu[label] = round((time.process_time() - cpu_started) / repeat * 1e6, 1)
    return times


def http_posts(server, article, count):
    """Median time of a comment POST over HTTP to gunicorn (the GET for the form not counted)."""
    from serving import CommentFormReader

    times = []
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for index in range(count):
            ip = f"198.51.101.{index + 1}"
            page = client.get(article.get_absolute_url(), headers={"X-Forwarded-For": ip})
            form = CommentFormReader()
            form.feed(page.text)
            data = {**form.fields, "name": f"Web {index}", "email": f"web{index}@example.com",
                    "comment": f"Over HTTP {index}: thanks for the article."}  # fmt: skip
            started = time.perf_counter()
            response = client.post(form.action, data=data, headers={"X-Forwarded-For": ip})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
    return {"posts": count, "median_ms": round(statistics.median(times), 2)}


def nginx_version():
    done = subprocess.run([NGINX, "-v"], capture_output=True, text=True)
    return done.stderr.strip().split("/")[-1]


# --- Main --------------------------------------------------------------------------------------


def measure_page(cached, uncached, article, measure):
    """One article's page under wrk: through nginx (cached there), as the same bytes from disk,
    from gunicorn with Django's caches and without; the minimal view just before."""
    # The minimal view again just before each cached page: the VM's speed drifts by a third
    # within a minute, so each page is compared with its neighbour in time.
    page = {"minimal": wrk(f"{cached.url}/_bench/minimal/", **measure)}
    path = article.get_absolute_url()
    html = httpx.get(f"{cached.url}{path}").content
    with Nginx(cached.url, static_bytes=html) as nginx:
        fronted = f"{nginx.url}{path}"
        statuses = [httpx.get(fronted).headers["X-Cache-Status"] for _ in range(5)]
        assert "HIT" in statuses, statuses  # the page is cached by nginx
        # Interleaved, best of two each: nginx and the static file are compared at 10,000
        # req/s, where a neighbour's burst on this shared machine moves one run by a third.
        static = f"{nginx.url}/static-copy/page.html"
        runs = [(wrk(fronted, **measure), wrk(static, **measure)) for _ in range(2)]
        page["nginx"] = max((run[0] for run in runs), key=rps)
        page["static"] = max((run[1] for run in runs), key=rps)
    for label, server in (("cached", cached), ("uncached", uncached)):
        url = f"{server.url}{path}"
        assert httpx.get(url).status_code == 200  # warm: fills the cache
        page[label] = wrk(url, **measure)
    page["bytes"] = len(html)
    return page


def measure_handler(article):
    """Django's own time per request for the article's page (no server): from the page store,
    its 304s, rendered; and the minimal view. Returns (µs, CPU µs of the rendered page)."""
    from django.conf import settings
    from django.test import Client

    path = article.get_absolute_url()
    etag = {"HTTP_IF_NONE_MATCH": Client(HTTP_HOST="127.0.0.1").get(path)["ETag"]}
    paths = {"minimal": "/_bench/minimal/", "cached": path, "304 stored": (path, etag)}
    settings.PAGE_CACHE_SECONDS = 60  # the page stays stored for the whole measurement
    times = handler_time(paths)
    settings.PAGE_CACHE_SECONDS = 0  # the 304 of a page no longer stored: the article's row
    times |= handler_time({"304 unstored": (path, etag)})
    cpu = {}
    times |= handler_time({"uncached page": path}, repeat=200, cpu=cpu)
    return times, cpu


def run(options):
    from tools.akismet_emulator import AkismetEmulator

    redis_url = os.environ.get("REDIS_URL", "")
    with AkismetEmulator() as emulator:
        env = bench_django("fitness_bench", akismet_url=emulator.url, BENCH_MINIMAL_VIEW="1")
        from django.db import connection

        articles = {size: create_article(size) for size in SIZES}
        if connection.vendor == "postgresql":
            # As autovacuum would have by then on a live site: planner statistics, and the
            # visibility map that lets the page of threads be an index-only scan.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        report = {
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
            "database": connection.vendor,
            "cache": "redis" if redis_url else "locmem",
            "wrk": f"-t{options.threads} -c{options.connections} -d{options.duration}s",
            "nginx": nginx_version(),
            "load": f"load average {load()} at the start",
            "pages": {},
        }
        measure = {
            "duration": options.duration,
            "connections": options.connections,
            "threads": options.threads,
        }
        cached = Gunicorn(env, workers=2)
        uncached = Gunicorn({**env, **EVERY_CACHE_OFF}, workers=2)
        with cached, uncached:
            for size, article in articles.items():
                page = measure_page(cached, uncached, article, measure)
                report["pages"][size] = page
                print(f"N={size}: {json.dumps(page)}", file=sys.stderr)
            runs = sorted((page["minimal"] for page in report["pages"].values()), key=rps)
            report["minimal"] = runs[len(runs) // 2]
            report["post_http"] = http_posts(cached, articles[1_000], POSTS // 2)
            report["memory_kib"] = {
                "cached": cached.peak_memory_kib(),
                "uncached": uncached.peak_memory_kib(),
            }
        report["post"] = comment_posts(articles[1_000], POSTS)
        report["handler_us"], report["handler_cpu_us"] = measure_handler(articles[1_000])
    return report


def run_posts(options):
    """The in-process comment post alone, on a fresh database (`--post-only`)."""
    from tools.akismet_emulator import AkismetEmulator

    redis_url = os.environ.get("REDIS_URL", "")
    with AkismetEmulator() as emulator:
        bench_django("fitness_bench", akismet_url=emulator.url)
        from django.db import connection

        article = create_article(1_000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        started_load = load()
        post = comment_posts(article, options.posts, show_queries=options.show_queries)
    return (
        f"Comment post (screening + Akismet emulator, in-process; {connection.vendor} + "
        f"{'redis' if redis_url else 'locmem'}): median {post['median_ms']} ms "
        f"({post['median_cpu_ms']} ms CPU; p90 {post['p90_ms']} ms), median "
        f"{post['median_queries']} SQL queries (max {post['max_queries']}), over {post['posts']} "
        f"posts, statuses {post['statuses']}. Load: {started_load}."
    )


def markdown(report):
    minimal = report["minimal"]
    lines = [
        f"Machine: {report['machine']}; {report['database']} + {report['cache']}; "
        f"gunicorn 2 gthread workers; nginx {report.get('nginx', '')}; wrk {report['wrk']}.",
        "",
        "| page | N comments | req/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
        f"| minimal Django view (median of {len(report['pages'])} runs) | – | "
        f"{minimal['rps']:.0f} | {minimal['p50_ms']} | {minimal['p99_ms']} |",
    ]
    labels = {
        "nginx": "article through nginx (microcache)",
        "static": "the same bytes as a static file (nginx)",
        "cached": "article, gunicorn alone (page store)",
        "uncached": "article, gunicorn alone, every cache off",
    }
    for size, page in report["pages"].items():
        for label, title in labels.items():
            figures = page[label]
            lines.append(
                f"| {title} | {int(size):,} | {figures['rps']:.0f} | "
                f"{figures['p50_ms']} | {figures['p99_ms']} |"
            )
    pages = report["pages"].values()

    def span(ratios):
        return f"{min(ratios):.0%}–{max(ratios):.0%}"

    to_static = span([page["nginx"]["rps"] / page["static"]["rps"] for page in pages])
    to_minimal = [page["nginx"]["rps"] / page["minimal"]["rps"] for page in pages]
    cached = span([page["cached"]["rps"] / page["minimal"]["rps"] for page in pages])
    handler = report["handler_us"]
    post = report["post"]
    peaks = [kib for group in report["memory_kib"].values() for kib in group.values()]
    lines += [
        "",
        f"Through nginx / static file, req/s: {to_static} (target ≥ 80 %); through nginx / "
        f"minimal view: {min(to_minimal):.1f}–{max(to_minimal):.1f}× (target ≥ 3×); gunicorn "
        f"alone with the page store / minimal view: {cached} (target ≥ 50 %).",
        f"Django's own time per request (WSGI handler, no server; N = 1,000): minimal view "
        f"{handler['minimal']} µs; page from the store {handler['cached']} µs; page rendered "
        f"(every cache off but the thread cache) {handler['uncached page']} µs "
        f"({report.get('handler_cpu_us', {}).get('uncached page', '?')} µs CPU); 304 from the "
        f"store {handler['304 stored']} µs; 304 of a page no longer stored (the article's row, "
        f"nothing rendered) {handler['304 unstored']} µs (target < 2 ms).",
        f"Comment post (screening + Akismet emulator, in-process): median {post['median_ms']} ms "
        f"({post.get('median_cpu_ms', '?')} ms CPU; p90 {post['p90_ms']} ms), median "
        f"{post['median_queries']} SQL queries "
        f"(max {post['max_queries']}), over {post['posts']} posts; over HTTP to gunicorn: "
        f"median {report['post_http']['median_ms']} ms.",
        f"Peak memory per worker (VmHWM): {min(peaks) / 1024:.0f}–{max(peaks) / 1024:.0f} MiB.",
        f"Load on the machine: {report.get('load', '')}.",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--post-only", action="store_true", help="only the in-process comment post")
    parser.add_argument("--posts", type=int, default=POSTS, help="with --post-only")
    parser.add_argument("--show-queries", action="store_true", help="the last post's SQL")
    options = parser.parse_args()
    if options.post_only:
        print(run_posts(options))
        return 0
    for tool in (WRK, NGINX):
        if not Path(tool).exists():
            print(f"{tool} is not installed (apt-get install wrk nginx)", file=sys.stderr)
            return 2
    report = run(options)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "http.json").write_text(json.dumps(report, indent=2))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
