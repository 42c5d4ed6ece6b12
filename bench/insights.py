"""
How fast is the admin's Insights page (issue 27) with a million comments, and how long does its
daily rollup take per day of data? PostgreSQL only (the data is made by generate_series):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fitness_bench_insights \
        .venv/bin/python bench/insights.py          # 1,000,000 comments (database dropped first)
    ... bench/insights.py 200000                        # another size

It fills a throw-away database in a few INSERT ... SELECT FROM generate_series statements:
N comments over the last 365 days on 200 articles (55% approved, 38% spam, 5% pending, 2%
removed; screening records of three rules, Akismet verdicts), and 2 N history lines (each
comment's first line, and a decision by one of 8 moderators, some undone). It then times
`rebuild_insights` (the rollup of every day: its time per day) and requests the page as a
superuser with Django's test client (DEBUG off): SQL queries and the median of 10 requests, for
the default period (twelve weeks), a whole year by month, and the moderators' CSV.
Target: the page under 300 ms.
"""

import os
import statistics
import sys
import time

import bootstrap

if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("bench/insights.py needs DATABASE_URL=postgres://... (generate_series)")

bootstrap.setup(
    DATABASE_URL=bootstrap.given_or_sqlite_url("insights.sqlite3"),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from comments.services import insights  # noqa: E402
from fitness.articles.models import Article  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
REQUESTS = 10
ARTICLES = 200
MODERATORS = 8
STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# i % 100: 0-54 approved, 55-92 spam, 93-97 pending, 98-99 removed.
COMMENTS_SQL = """
INSERT INTO comments_comment (
    id, depth, path, thread_visible, author_name, author_email, author_url, body, body_html,
    notify_replies, status, status_changed_at, created_at, updated_at, user_agent, referrer,
    screening, akismet_verdict, akismet_request, akismet_response, akismet_attempts,
    article_id, thread_id, helpful_count)
SELECT i, 0, lpad(i::text, 10, '0'), s.status = 'approved', 'Reader ' || (i %% 5000),
    'reader' || (i %% 5000) || '@example.com', '', 'A comment about recovery.',
    '<p>A comment about recovery.</p>', false, s.status, t.at, t.at, t.at, 'Firefox', '',
    jsonb_build_array(
        jsonb_build_object('step', 'links',
                           'verdict', CASE WHEN i %% 50 = 3 THEN 'hold' ELSE 'pass' END,
                           'reason', 'links', 'ms', 0.1),
        jsonb_build_object('step', 'first_time', 'verdict',
                           CASE WHEN i %% 100 BETWEEN 40 AND 60 OR i %% 100 BETWEEN 93 AND 97
                                THEN 'hold' ELSE 'pass' END, 'reason', 'first', 'ms', 0.4),
        jsonb_build_object('step', 'akismet', 'verdict',
                           CASE WHEN i %% 100 BETWEEN 55 AND 92 THEN 'spam' ELSE 'ham' END,
                           'reason', 'akismet', 'ms', 90)),
    CASE WHEN i %% 100 BETWEEN 55 AND 92 THEN 'spam' ELSE 'ham' END, '{}', '{}', 1,
    (SELECT min(id) FROM fitness_article) + i %% %(articles)s, i, 0
FROM generate_series(1, %(n)s) AS i,
    LATERAL (SELECT CASE WHEN i %% 100 < 55 THEN 'approved' WHEN i %% 100 < 93 THEN 'spam'
                         WHEN i %% 100 < 98 THEN 'pending' ELSE 'removed' END AS status) s,
    LATERAL (SELECT now() - interval '365 days' + (i::float / %(n)s) * interval '365 days'
             AS at) t
"""

# Each comment's first line; then a moderator's decision on every comment (an undo on 1%).
EVENTS_SQL = """
INSERT INTO comments_commentevent (created_at, kind, actor_label, from_status, to_status, note,
                                   actor_id, comment_id)
SELECT c.created_at, 'screening', 'screening', '',
       CASE WHEN c.status = 'approved' AND c.id %% 100 BETWEEN 40 AND 54 THEN 'pending'
            WHEN c.status = 'removed' THEN 'approved' ELSE c.status END, '', NULL, c.id
FROM comments_comment c
UNION ALL
SELECT c.created_at + (c.id %% 97) * interval '7 minutes', 'status', '',
       CASE WHEN c.status = 'approved' THEN 'pending' ELSE 'approved' END,
       CASE WHEN c.status = 'pending' THEN 'approved' ELSE c.status END,
       CASE WHEN c.id %% 100 = 7 THEN 'Undo.' ELSE '' END,
       (SELECT min(id) FROM auth_user) + c.id %% %(moderators)s, c.id
FROM comments_comment c
"""


def build():
    Article.objects.bulk_create(
        Article(title=f"Bench article {i}", slug=f"bench-{i}", body="A short body.",
                status=Article.Status.PUBLISHED, publish_at=timezone.now())
        for i in range(ARTICLES)
    )  # fmt: skip
    User = get_user_model()
    for i in range(MODERATORS):
        User.objects.create_user(f"moderator{i}", f"m{i}@example.com", "x", is_staff=True)
    with connection.cursor() as cursor:
        params = {"n": N, "articles": ARTICLES, "moderators": MODERATORS}
        cursor.execute(COMMENTS_SQL, params)
        cursor.execute(EVENTS_SQL, params)
        cursor.execute("SELECT setval(pg_get_serial_sequence('comments_comment', 'id'), %s)", [N])
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load


def measure(client, label, params):
    url = reverse("admin:comments_comment_insights")
    client.get(url, params)  # warm up: templates, first queries
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    queries = len(captured)
    times = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        client.get(url, params)
        times.append((time.perf_counter() - began) * 1000)
    print(f"{label:<36} {queries:>3} queries  median {statistics.median(times):7.1f} ms")


def main():
    print(f"load average at the start: {os.getloadavg()[0]:.2f}")
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    build()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM comments_commentevent")
        events = cursor.fetchone()[0]
    print(f"{N:,} comments, {events:,} history lines built in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    days = insights.rebuild()
    spent = time.perf_counter() - began
    print(f"rollup: {days} days in {spent:.1f} s, {1000 * spent / days:.0f} ms per day")
    began = time.perf_counter()
    insights.rollup_recent()
    print(
        f"the hourly job (last {insights.REFRESH_DAYS} days): {time.perf_counter() - began:.1f} s"
    )
    admin = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
    client = Client()
    client.force_login(admin)
    today = timezone.localdate()
    year_ago = today.replace(year=today.year - 1)
    with override_settings(STORAGES=STATIC_FILES, DEBUG=False):
        measure(client, "page, last 12 weeks (default)", {})
        measure(client, "page, a year by month", {"start": year_ago, "group": "month"})
        measure(
            client, "moderators CSV, a year by week", {"start": year_ago, "export": "moderators"}
        )
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    connection.close()


if __name__ == "__main__":
    main()
