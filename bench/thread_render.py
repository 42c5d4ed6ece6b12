"""
How fast is an article page with a big discussion? (uncached: the thread cache comes later)

    .venv/bin/python bench/thread_render.py            # N = 100, 1,000, 5,000
    .venv/bin/python bench/thread_render.py 300 2000   # other sizes

For each N it builds an article with N approved comments in a realistic shape (about 70%
top-level, replies up to depth 3, bodies of about 300 characters) in a throw-away SQLite file
under /tmp, then requests the article page with Django's test client (DEBUG off) and prints,
for the default page and for the whole thread on one page: SQL queries, the median render
time over 20 requests, the median CPU time of this process for them (steadier than the wall
clock when others share the cores: it leaves out time spent waiting for a core), and the HTML
size.

Targets (2-core machine): default page at N = 5,000 under 15 ms; the whole thread on one page
under 30 ms at N = 1,000 and under 100 ms at N = 5,000.
"""

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bootstrap

bootstrap.setup(DATABASE_URL=bootstrap.sqlite_url("bench.sqlite3"), ALLOWED_HOSTS="testserver")

from django.core.management import call_command  # noqa: E402
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


def measure(client, url):
    for _ in range(2):  # warm up: template loading, first queries
        client.get(url, secure=True)
    reset_queries()  # the request clears the log itself; start from empty so nothing is lost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    query_count = len(queries)  # now: the next request empties the log it reads from
    timings, cpu = [], []
    for _ in range(REQUESTS):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    size_kb = len(response.content) / 1024
    return query_count, statistics.median(timings), statistics.median(cpu), size_kb


def main(sizes):
    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    client = Client()
    print(f"{'N':>6}  {'page':<22} {'queries':>7} {'median ms':>10} {'CPU ms':>7} {'HTML KB':>8}")
    # Uncached: the thread cache (COMMENTS_THREAD_CACHE_SECONDS) would hide the render itself.
    with override_settings(
        STORAGES=STATIC_FILES, COMMENTS_THREAD_CACHE_SECONDS=0, PAGE_CACHE_SECONDS=0
    ):
        for n in sizes:
            article = build_article(n, rng)
            url = article.get_absolute_url()
            rows = [("default (50 threads)", {})]
            rows.append(("whole thread", {"COMMENTS_THREADS_PER_PAGE": 10**9}))
            for label, overrides in rows:
                with override_settings(**overrides):
                    queries, median_ms, cpu_ms, size_kb = measure(client, url)
                print(
                    f"{n:>6,}  {label:<22} {queries:>7} {median_ms:>10.1f} {cpu_ms:>7.1f}"
                    f" {size_kb:>8.0f}"
                )
    Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)  # the throw-away file


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or SIZES)
