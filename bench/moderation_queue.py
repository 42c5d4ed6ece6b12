"""
How fast is the moderation queue (the comment changelist in the admin) with 100,000 comments?

    .venv/bin/python bench/moderation_queue.py            # 100,000 comments, SQLite
    .venv/bin/python bench/moderation_queue.py 20000      # another size
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fitness_bench_queue \
        .venv/bin/python bench/moderation_queue.py        # PostgreSQL (the database is dropped)

It fills a throw-away database (a SQLite file under /tmp unless DATABASE_URL is given) with
comments in a realistic mix (55% approved, 38% spam, 5% pending, 2% removed; a fifth of them
replies; screening records and Akismet verdicts filled in) over 20 articles, then requests the
queue as a logged-in superuser with Django's test client (DEBUG off) and prints, for the
default view (pending), all comments, spam and a search: SQL queries and the median time over
10 requests. Target: the default view under 300 ms.
"""

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import bootstrap

bootstrap.setup(
    DATABASE_URL=bootstrap.given_or_sqlite_url("queue.sqlite3"),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from comments.models import Comment, path_segment  # noqa: E402
from fitness.articles.models import Article  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
REQUESTS = 10
ARTICLES = 20
MIX = [("approved", 0.55), ("spam", 0.38), ("pending", 0.05), ("removed", 0.02)]
WORDS = ["twitch", "muscle", "recovery", "electrolytes", "walk", "run", "stretch", "water",
         "sleep", "calf", "magnesium", "cheap", "pills", "casino", "click", "here"]  # fmt: skip
STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def build(rng):
    start = datetime(2024, 1, 1, tzinfo=UTC)
    articles = [
        Article.objects.create(
            title=f"Bench article {i}",
            slug=f"bench-{i}",
            body="A short body.",
            status=Article.Status.PUBLISHED,
            publish_at=start,
        )
        for i in range(ARTICLES)
    ]
    statuses = [s for s, _ in MIX]
    weights = [w for _, w in MIX]
    rows, by_article = [], {a.pk: [] for a in articles}
    for pk in range(1, N + 1):
        article = rng.choice(articles)
        siblings = by_article[article.pk]
        parent = rng.choice(siblings[-50:]) if siblings and rng.random() < 0.2 else None
        status = rng.choices(statuses, weights)[0]
        verdict = {"spam": rng.choice(["spam", "spam", "blatant"]), "pending": "ham"}.get(
            status, "ham"
        )
        created = start + timedelta(seconds=pk * 300)
        comment = Comment(
            pk=pk,
            article=article,
            parent_id=parent.pk if parent else None,
            thread_id=parent.thread_id if parent else pk,
            depth=parent.depth + 1 if parent else 0,
            path=f"{parent.path}/{path_segment(pk)}" if parent else path_segment(pk),
            author_name=f"Reader {pk % 5000}",
            author_email=f"reader{pk % 5000}@example.com",
            body=" ".join(rng.choice(WORDS) for _ in range(45)),
            status=status,
            created_at=created,
            status_changed_at=created,
            ip_address=f"198.51.{pk % 250}.{pk % 200 + 1}",
            user_agent="Mozilla/5.0 Firefox/130.0",
            screening=[
                {"step": "links", "verdict": "pass", "reason": "no links", "ms": 0.1},
                {
                    "step": "first_time",
                    "verdict": "hold" if status == "pending" else "pass",
                    "reason": "first comment from this email",
                    "ms": 0.4,
                },
            ],
            akismet_verdict=verdict,
        )
        siblings.append(comment)
        rows.append(comment)
    Comment.objects.bulk_create(rows, batch_size=2000)


def measure(client, label, params):
    url = reverse("admin:comments_comment_changelist")
    client.get(url, params)  # warm up: templates, first queries
    reset_queries()  # the request clears the log itself; start from empty so nothing is lost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    queries = len(captured)  # now: the next request empties the log it reads from
    times = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        client.get(url, params)
        times.append((time.perf_counter() - began) * 1000)
    print(f"{label:<28} {queries:>3} queries  median {statistics.median(times):7.1f} ms")


def main():
    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    build(random.Random(5))
    if vendor == "postgresql":
        # What autovacuum does after a bulk load; without statistics the plans are guesses.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"{N:,} comments on {vendor} built in {time.perf_counter() - began:.1f} s")
    admin = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
    client = Client()
    client.force_login(admin)
    with override_settings(STORAGES=STATIC_FILES, DEBUG=False):
        measure(client, "queue (pending, default)", {})
        measure(client, "all comments", {"status": "all"})
        measure(client, "spam", {"status": "spam"})
        measure(client, "search by IP", {"status": "all", "q": "198.51.7.8"})
        measure(client, "search text, all", {"status": "all", "q": "magnesium"})
        measure(client, "search text, pending", {"q": "magnesium"})
        measure(client, "search a rare name, all", {"status": "all", "q": "zorro"})
    if vendor == "postgresql":
        connection.close()


if __name__ == "__main__":
    main()
