"""
How fast does a moderator clear the queue? 200 held comments cleared in Chromium by keyboard,
then the queue page's server time at 100,000 and 1,000,000 comments. PostgreSQL only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fitness_queue_flow \\
        .venv/bin/python bench/moderation_flow.py            # the database is dropped first
    ... bench/moderation_flow.py --sizes 100000             # only the first size
    ... bench/moderation_flow.py --reuse                    # the queue again, same database

1. The flow: a member of Moderators logs in (Chromium at /usr/bin/chromium, or CHROMIUM_PATH)
   and opens the queue; then 200 times: press "a" on the focused row and wait for the row to
   be updated (static/js/admin-queue.js dispatches "queue:updated" with the time from the
   keypress). Printed: page loads after the queue was opened, keystrokes, and the median and
   95th percentile of keypress to updated row (a fetch POST, the row's cells replaced, the
   counts, the focus moved). When a page of 50 is done the script fetches the next (no page
   load; not counted in the keypress figures, printed apart).
2. The queue at scale: the comments table filled with generate_series in one INSERT per
   size (the mix of bench/moderation_queue.py: 55 % approved, 38 % spam, 5 % pending, 2 %
   removed, over 20 articles; top-level comments only; the secondary indexes dropped for the
   load and built again after it), VACUUM ANALYZE, then the default
   view (pending) requested 10 times by the moderator through Django's test client: SQL
   queries and median ms; then the server time of 10 row actions (Approve, as the keyboard
   sends it). Each fill runs under a statement_timeout (FILL_TIMEOUT_S).
3. The troll scenario (issue 25; `--troll-only` runs just this): 200 held comments, 140 first
   comments from 140 readers and 60 from 4 trolls writing under 9 addresses (3 + 2 + 2 + 2),
   each troll from one IPv6 /64. Cleared three times in Chromium: one by one (`a` for a
   reader, `s` for a troll); with bans (`a` for a reader; on a troll's row `b` opens the ban
   dialog, which offers the email and, since other addresses wrote from it, the network, with
   "remove everything pending" ticked; Enter bans: one page load); and with bans, then a page
   at a time (`j` to the first row of a troll still on the page, `b`, Enter; once the page
   holds only readers, read it: Home if it is not at the top, Page Down until its last row is
   in view, each press counted; then `*` selects the page and `a` approves it, the next page
   coming in place). Printed: keystrokes and page loads for each, and the saving. Then the
   commenter page's server time for a commenter with 10,000 comments (median of 10 through
   Django's test client, and its query count).
Targets: 0 page loads and 1 keystroke per comment, <= 150 ms keypress to row, queue < 300 ms;
troll scenario: >= 40 % fewer keystrokes than one by one; commenter page < 150 ms at 10,000.
"""

import argparse
import os
import statistics
import sys
import threading
import time

import bootstrap
from serving import recreate_postgres_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fitness_queue_flow"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
    sys.exit("bench/moderation_flow.py needs PostgreSQL (DATABASE_URL=postgres://...)")

parser = argparse.ArgumentParser()
parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
parser.add_argument(
    "--reuse", action="store_true", help="measure the queue again in the last run's database"
)
parser.add_argument(
    "--troll-only", action="store_true", help="only the troll scenario and the commenter page"
)
ARGS = parser.parse_args()
if not ARGS.reuse:
    recreate_postgres_database(os.environ["DATABASE_URL"])
bootstrap.setup(
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    SECURE_SSL_REDIRECT="0",
    SECURE_COOKIES="0",  # plain HTTP on 127.0.0.1
    COMMENTS_NOTIFY_MODERATORS="off",
    COMMENTS_NOTIFY_AUTHOR="0",
)

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from queue_browser import PASSWORD, queue_page, wait_until  # noqa: E402
from troll_scenario import commenter_page, troll_scenario  # noqa: E402

from comments.models import Comment  # noqa: E402
from comments.services.counts import COUNTS_KEY  # noqa: E402
from fitness.articles.models import Article  # noqa: E402

HELD = 200
REQUESTS = 10
ARTICLES = 20
FILL_TIMEOUT_S = 600
STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve():
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(StaticFilesHandler(WSGIHandler()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def articles():
    from datetime import UTC, datetime

    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        Article.objects.create(
            title=f"Bench article {i}",
            slug=f"bench-{i}",
            body="A short body.",
            status=Article.Status.PUBLISHED,
            publish_at=start,
        )
        for i in range(ARTICLES)
    ]


def moderator():
    user = get_user_model().objects.create_user(
        "bench-mod", "mod@example.com", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def fill(total, article_ids, *, first_id):
    """Comments first_id..total with generate_series: one INSERT, no Python per row."""
    began = time.perf_counter()
    low, high = min(article_ids), max(article_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = '{FILL_TIMEOUT_S}s'")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        # Indexes are built once after the load rather than row by row (the trigram GIN
        # indexes most of all); those that back a constraint (the primary key) stay.
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = "
            "'comments_comment' AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            """
            INSERT INTO comments_comment (
                id, article_id, parent_id, thread_id, depth, path, thread_visible, user_id,
                author_name, author_email, author_url, body, body_html, notify_replies,
                status, status_changed_at, created_at, updated_at, ip_address, user_agent,
                referrer, screening, akismet_verdict, akismet_request, akismet_response,
                akismet_attempts, helpful_count, notify_published)
            SELECT g, %(low)s + g %% (%(high)s - %(low)s + 1), NULL, g, 0, lpad(g::text, 10, '0'),
                s.status = 'approved', NULL,
                'Reader ' || (g %% 5000), 'reader' || (g %% 5000) || '@example.com', '',
                'twitch muscle recovery electrolytes walk run stretch water sleep calf '
                    || md5(g::text),
                '<p>twitch muscle recovery</p>', false,
                s.status, t.at, t.at, t.at,
                ('198.51.' || (g %% 250) || '.' || (g %% 200 + 1))::inet,
                'Mozilla/5.0 Firefox/130.0', '',
                jsonb_build_array(
                    jsonb_build_object('step', 'links', 'verdict', 'pass', 'reason', 'no links'),
                    jsonb_build_object('step', 'first_time',
                        'verdict', CASE WHEN s.status = 'pending' THEN 'hold' ELSE 'pass' END,
                        'reason', 'first comment from this email')),
                CASE WHEN s.status = 'spam' THEN 'spam' ELSE 'ham' END, '{}', '{}', 0, 0, false
            FROM generate_series(%(first)s, %(total)s) AS g,
                LATERAL (SELECT CASE WHEN g %% 100 < 55 THEN 'approved'
                                     WHEN g %% 100 < 93 THEN 'spam'
                                     WHEN g %% 100 < 98 THEN 'pending'
                                     ELSE 'removed' END AS status) AS s,
                LATERAL (SELECT timestamptz '2020-01-01' + g * interval '90 seconds' AS at) AS t
            """,
            {"low": low, "high": high, "first": first_id, "total": total},
        )
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET statement_timeout = 0")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('comments_comment', 'id'), "
            "(SELECT max(id) FROM comments_comment))"
        )
        cursor.execute("VACUUM ANALYZE comments_comment")
    return time.perf_counter() - began


def measure_queue(client, label):
    url = reverse("admin:comments_comment_changelist")
    cache.delete(COUNTS_KEY)
    began = time.perf_counter()
    client.get(url)  # counts every status, as the status-counts job does each minute
    cold = (time.perf_counter() - began) * 1000
    captured = []

    def count(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    print(f"{label + ', counts recounted':<34}      {cold:7.1f} ms (what the minute job pays)")
    times, cpu = [], []
    for _ in range(REQUESTS):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    median = statistics.median(times)
    print(
        f"{label:<34} {len(captured):>3} queries  median {median:7.1f} ms  max {max(times):.1f}"
        f"  (Django's CPU {statistics.median(cpu):.1f} ms: the rest is SQL and waiting for a core)"
    )
    return median


def measure_action(client, label):
    """Server time of a row's Approve (the fetch POST the keyboard sends), 10 held comments."""
    held = Comment.objects.in_moderation().order_by("-created_at")
    pks = list(held.values_list("pk", flat=True)[:REQUESTS])
    times = []
    for pk in pks:
        url = reverse("admin:comments_comment_act", args=[pk]) + "?expected=pending"
        began = time.perf_counter()
        response = client.post(url, {"operation": "approve"}, HTTP_X_REQUESTED_WITH="fetch")
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200 and response.json()["ok"], response.content[:200]
    print(f"{label:<34}      median {statistics.median(times):7.1f} ms  max {max(times):.1f}")


def flow(base, user):
    with queue_page(base, user) as page:
        loads = []
        page.on("framenavigated", lambda f: f == page.main_frame and loads.append(f.url))
        page.evaluate(
            """() => { window.benchTimes = []; window.benchPages = 0;
                document.addEventListener('queue:updated', e => benchTimes.push(e.detail.ms));
                document.addEventListener('queue:ready', () => benchPages++); }"""
        )
        keystrokes, began = 0, time.perf_counter()
        for done in range(HELD):
            page.wait_for_selector("#result_list tr.queue-current:not(.queue-done)", timeout=10_000)
            page.keyboard.press("a")
            keystrokes += 1
            wait_until(page, f"window.benchTimes.length > {done}")
        wall = time.perf_counter() - began
        times = page.evaluate("window.benchTimes")
        pages = page.evaluate("window.benchPages")
        counts = page.locator("#changelist-filter").inner_text()
    left = Comment.objects.in_moderation().count()
    times_sorted = sorted(times)
    p95 = times_sorted[int(len(times_sorted) * 0.95) - 1]
    print(f"cleared {HELD - left} of {HELD} held comments in {wall:.1f} s")
    print(f"page loads after opening the queue: {len(loads)}")
    print(f"keystrokes: {keystrokes} ({keystrokes / HELD:.2f} per comment)")
    print(
        f"keypress to updated row: median {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(times):.1f} ms ({len(times)} rows)"
    )
    print(f"next pages fetched in place: {pages}")
    assert "Pending (0)" in counts, counts


def troll_only():
    """--troll-only: the troll scenario and the commenter's page, on a migrated database."""
    call_command("migrate", verbosity=0)
    article_ids = [a.pk for a in articles()]
    user = moderator()
    client = Client()
    client.force_login(user)
    with override_settings(STORAGES=STATIC_FILES, DEBUG=False):
        server, base = serve()
        try:
            troll_scenario(base, user, article_ids)
        finally:
            server.shutdown()
        commenter_page(client, article_ids, requests=REQUESTS)


def reuse():
    """--reuse: the queue and a row action measured again on the comments already there."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-mod"))
    size = Comment.objects.count()
    with override_settings(STORAGES=STATIC_FILES, DEBUG=False):
        measure_queue(client, f"queue (pending) at {size:,}")
        measure_action(client, f"row action (approve) at {size:,}")


def hold_comments(article_ids):
    """HELD comments awaiting moderation, spread over the articles."""
    held = [
        Comment(
            article_id=article_ids[i % ARTICLES],
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.com",
            body=f"Held comment number {i}: is twitching after a run normal?",
            body_html=f"<p>Held comment number {i}</p>",
            screening=[{"step": "first_time", "verdict": "hold", "reason": "first comment"}],
            akismet_verdict="ham",
        )
        for i in range(HELD)
    ]
    Comment.objects.bulk_create(held)
    Comment.objects.filter(thread__isnull=True).update(thread_id=F("pk"))


def everything(args):
    """The flow, the troll scenario and the commenter's page, then the queue at each size."""
    call_command("migrate", verbosity=0)
    article_ids = [a.pk for a in articles()]
    user = moderator()
    with override_settings(STORAGES=STATIC_FILES, DEBUG=False):
        hold_comments(article_ids)
        server, base = serve()
        try:
            flow(base, user)
            print()
            troll_scenario(base, user, article_ids)
        finally:
            server.shutdown()
        print()
        client = Client()
        client.force_login(user)
        commenter_page(client, article_ids, requests=REQUESTS)
        print()
        Comment.objects.all().delete()
        client = Client()
        client.force_login(user)
        filled = 0
        for size in args.sizes:
            seconds = fill(size, article_ids, first_id=filled + 1)
            filled = size
            print(f"{size:,} comments filled (generate_series) in {seconds:.1f} s")
            measure_queue(client, f"queue (pending) at {size:,}")
            measure_action(client, f"row action (approve) at {size:,}")


def main():
    args = ARGS
    if args.troll_only:
        troll_only()
    elif args.reuse:
        reuse()
        return
    else:
        everything(args)
    connection.close()


if __name__ == "__main__":
    main()
