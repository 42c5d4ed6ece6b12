"""
How fast is an article page with a big discussion, rendered?

    .venv/bin/python bench/thread_render.py            # N = 100, 1,000, 5,000
    .venv/bin/python bench/thread_render.py 300 2000   # other sizes
    .venv/bin/python bench/thread_render.py --profile 1000   # and where each page's time goes

For each N it builds an article with N approved comments in a realistic shape (about 70%
top-level, replies up to depth 3, bodies of about 300 characters) in a throw-away SQLite file
under /tmp (or, when DATABASE_URL names a PostgreSQL database, in that database, dropped and
made again: give the bench its own; REDIS_URL for the thread cache), then requests the article
page (DEBUG off, the page store off) and prints, for the default page with the thread cache warm
(the page rendered around a cached thread), the default page with the thread cache off, the
same with the page's shell off too (fitness.core.page_shells: every cache off, as
`http_bench.py`'s last rows) and the whole thread on one page with the thread cache off: SQL
queries, the median time over 20 requests, the median CPU time of this process for them
(steadier than the wall clock when others share the cores: it leaves out time spent waiting for
a core), and the HTML size. `--profile` adds, for each of those pages, the share of its time
each part takes (cProfile over 20 requests: the shares, not the milliseconds, are the figures).

Targets (CPU, 2-core machine, issue 29): the page around a warm thread cache at N = 1,000 under
3 ms; the whole thread under 15 ms at N = 1,000 and under 60 ms at N = 5,000.
"""

import cProfile
import io
import pstats
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bootstrap

bootstrap.setup(
    DATABASE_URL=bootstrap.given_or_sqlite_url("bench.sqlite3"), ALLOWED_HOSTS="testserver"
)

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from comments.models import Comment, path_segment  # noqa: E402
from comments.services.counts import refresh_article_counts  # noqa: E402
from fitness.articles.models import Article  # noqa: E402

SIZES = [100, 1_000, 5_000]
REQUESTS = 20
TOP_LEVEL_SHARE = 0.7
MAX_REPLY_DEPTH = 3
WORDS = [
    "twitch",
    "muscle",
    "recovery",
    "electrolytes",
    "walk",
    "run",
    "stretch",
    "water",
    "sleep",
    "calf",
    "hamstring",
    "magnesium",
    "potassium",
    "warm",
    "cool",
    "down",
    "leisurely",
    "strenuous",
    "fibres",
    "signal",
    "nerve",
    "rest",
]
NAMES = ["Jessica M.", "Derek Walsh", "Gwenivere", "Tina Shute", "Stephen", "Priya", "Dan R."]
STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def body(rng):
    words = []
    while sum(len(w) + 1 for w in words) < 300:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def build_article(n, rng):
    article = Article.objects.create(
        title=f"Bench article with {n:,} comments",
        slug=f"bench-{n}",
        body="A short article body.",
        status=Article.Status.PUBLISHED,
        publish_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    next_id = (Comment.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    start = datetime(2020, 1, 2, tzinfo=UTC)
    comments, replyable = [], []
    for i in range(n):
        pk = next_id + i
        parent = None
        if replyable and rng.random() > TOP_LEVEL_SHARE:
            parent = rng.choice(replyable[-200:])
        text = body(rng)
        comment = Comment(
            pk=pk,
            article=article,
            parent=parent,
            thread_id=parent.thread_id if parent else pk,
            depth=parent.depth + 1 if parent else 0,
            path=f"{parent.path}/{path_segment(pk)}" if parent else path_segment(pk),
            author_name=rng.choice(NAMES),
            author_email="bench@example.com",
            author_url=rng.choice(["", "", "https://example.com/blog"]),
            body=text,
            body_html=f"<p>{text}</p>",
            status=Comment.Status.APPROVED,
            created_at=start + timedelta(minutes=i),
        )
        comments.append(comment)
        if comment.depth < MAX_REPLY_DEPTH:
            replyable.append(comment)
    Comment.objects.bulk_create(comments, batch_size=500)
    refresh_article_counts([article.pk])
    article.refresh_from_db()
    return article


def wsgi_get(url):
    """A GET of `url` through Django's WSGI handler, as gunicorn makes it (HTTPS, no cookies):
    the test client would add its own work (it copies every template's context for its
    assertions: about a third of a warm page's time)."""
    application = get_wsgi_application()
    path, _, query = url.partition("?")

    def get():
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "testserver", "SERVER_PORT": "443", "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        }  # fmt: skip
        statuses = []
        body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(body)
        body.close()
        assert statuses[0].startswith("200"), statuses

    return get


def measure(client, url):
    for _ in range(2):  # warm up: template loading, first queries
        client.get(url, secure=True)
    reset_queries()  # the request clears the log itself; start from empty so nothing is lost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    query_count = len(queries)  # now: the next request empties the log it reads from
    timings, cpu = [], []
    get = wsgi_get(url)  # timed as a server calls Django: the test client's own work left out
    for _ in range(REQUESTS):
        started, cpu_started = time.perf_counter(), time.process_time()
        get()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    size_kb = len(response.content) / 1024
    return query_count, statistics.median(timings), statistics.median(cpu), size_kb


# The parts of a page, each the cumulative time of the functions named (file, function), in
# the order they run; what is left is the templates' own work, Django and the test client.
PARTS = [
    (
        "the article's row (and terms)",
        [
            ("views.py", "get_object"),  # a personal page's
            ("shared_rows.py", "small_row"),  # a shared page's: its version
            ("shared_rows.py", "whole"),  # and the whole row, kept per version
        ],
    ),
    ("thread cache read", [("threads/cache.py", "cached_fragment")]),
    ("reading the threads (SQL, rows)", [("threads/reading.py", "read_page")]),
    ("thread markup", [("threads/rendering.py", "comment_list_parts")]),
    (
        "JSON-LD comments (built)",
        [("structured_data.py", "schema_comments"), ("structured_data.py", "schema_comments_json")],
    ),
    ("the comment form", [("comment_tags.py", "new_form"), ("comment_tags.py", "form_html")]),
    ("JSON-LD script (per page)", [("comment_tags.py", "article_structured_data")]),
    (
        "site settings and menus (cache)",
        [("site_settings.py", "stored"), ("navigation.py", "_cached")],
    ),
]
# Parts inside another: counted in their own line, taken out of the outer one.
INSIDE = {"thread cache read": ["reading the threads (SQL, rows)", "thread markup",
                                "JSON-LD comments (built)"]}  # fmt: skip


def profile(client, url):
    """{part: share of the profiled time} over REQUESTS requests (the page is warm)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REQUESTS):
        client.get(url, secure=True)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = max(cumulative for (*_, cumulative, _) in stats.values())
    spent = {}
    for label, functions in PARTS:
        spent[label] = sum(
            cumulative
            for (path, _, name), (*_, cumulative, _) in stats.items()
            if any(path.endswith(end) and name == function for end, function in functions)
        )
    for outer, inner in INSIDE.items():
        spent[outer] -= sum(spent[label] for label in inner)
    spent["the rest: templates, middleware, client"] = total - sum(spent.values())
    return {label: seconds / total for label, seconds in spent.items()}


def main(sizes, *, profiling=False):
    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    client = Client()
    print(f"{'N':>6}  {'page':<26} {'queries':>7} {'median ms':>10} {'CPU ms':>7} {'HTML KB':>8}")
    breakdowns = []
    with override_settings(STORAGES=STATIC_FILES, PAGE_CACHE_SECONDS=0):
        for n in sizes:
            article = build_article(n, rng)
            url = article.get_absolute_url()
            rows = [
                # The page around a cached thread: what a reader with a cookie, or the first
                # reader after the page store's second, costs Django.
                ("default, thread cache warm", {"COMMENTS_THREAD_CACHE_SECONDS": 300}),
                # The thread cache off: the render itself.
                ("default (50 threads)", {"COMMENTS_THREAD_CACHE_SECONDS": 0}),
                # Every cache off: each request renders the whole page.
                (
                    "default, every cache off",
                    {"COMMENTS_THREAD_CACHE_SECONDS": 0, "PAGE_SHELLS_KEPT": 0},
                ),
                (
                    "whole thread",
                    {"COMMENTS_THREAD_CACHE_SECONDS": 0, "COMMENTS_THREADS_PER_PAGE": 10**9},
                ),
            ]
            for label, overrides in rows:
                with override_settings(**overrides):
                    queries, median_ms, cpu_ms, size_kb = measure(client, url)
                    if profiling:
                        breakdowns.append((n, label, cpu_ms, profile(client, url)))
                print(
                    f"{n:>6,}  {label:<26} {queries:>7} {median_ms:>10.1f} {cpu_ms:>7.1f}"
                    f" {size_kb:>8.0f}"
                )
    for n, label, cpu_ms, shares in breakdowns:
        print(f"\nN = {n:,}, {label} ({cpu_ms:.1f} ms CPU): share of the profiled time")
        for part, share in shares.items():
            print(f"  {part:<42} {share:6.1%}  ~{share * cpu_ms:5.2f} ms")
    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)  # the throw-away file


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if arg != "--profile"]
    main([int(arg) for arg in arguments] or SIZES, profiling="--profile" in sys.argv)
