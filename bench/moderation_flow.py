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

from comments.models import Ban, Comment, Commenter  # noqa: E402
from comments.services.commenters import link_existing  # noqa: E402
from comments.services.counts import COUNTS_KEY  # noqa: E402
from fitness.articles.models import Article  # noqa: E402

HELD = 200
REQUESTS = 10
ARTICLES = 20
FILL_TIMEOUT_S = 600
PASSWORD = "bench-password-not-secret"
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


def wait_until(page, condition, timeout=10.0):
    """Poll `condition` in the page (wait_for_function needs eval, which our CSP forbids)."""
    deadline = time.perf_counter() + timeout
    while not page.evaluate(f"() => {condition}"):
        if time.perf_counter() > deadline:
            raise TimeoutError(condition)
        time.sleep(0.002)


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
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/admin/login/?next=/admin/comments/comment/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.locator("input[type=submit]").click()
        page.wait_for_selector("#result_list .queue-comment")
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
        browser.close()
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


# --- The troll scenario (issue 25) -------------------------------------------------------------

TROLL_ADDRESSES = [3, 2, 2, 2]  # 4 trolls, 9 addresses
# A reader's question fills the two lines a queue row shows (a longer one opens with "more"),
# so that reading a page by Page Down costs what it would with real comments.
READER_TEXT = (
    "I started running three times a week and my calves twitch for an hour after each run, "
    "mostly in the evening. I drink about two litres of water a day and take no supplements. "
    "Is this the fatigue the article describes, or should I see a doctor about it?"
)
TROLL_TEXT = "You are all idiots, this whole site is a scam and nobody should listen to it."
TROLL_COMMENTS = 60
COMMENTER_COMMENTS = 10_000


def troll_emails():
    """{email: troll}: troll t writes under TROLL_ADDRESSES[t] addresses."""
    return {
        f"troll{troll}.{n}@example.net": troll
        for troll, count in enumerate(TROLL_ADDRESSES)
        for n in range(count)
    }


def troll_queue(article_ids):
    """200 held comments in a fixed shuffled order: 140 readers' first comments, 60 trolls'
    (each troll from one IPv6 /64, its addresses in turn)."""
    import random

    Comment.objects.all().delete()
    Commenter.objects.all().delete()
    Ban.objects.all().delete()
    emails = list(troll_emails().items())
    rows = []
    for i in range(TROLL_COMMENTS):
        email, troll = emails[i % len(emails)]
        rows.append((f"Troll {troll}", email, f"2001:db8:{troll + 1}::{i + 1}", True))
    for i in range(HELD - TROLL_COMMENTS):
        rows.append((f"Reader {i}", f"reader{i}@example.com", f"198.51.100.{i % 250}", False))
    random.Random(25).shuffle(rows)
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 1, 1, tzinfo=UTC)
    Comment.objects.bulk_create(
        Comment(
            article_id=article_ids[i % ARTICLES],
            author_name=name,
            author_email=email,
            ip_address=ip,
            body=f"Comment {i}: " + (TROLL_TEXT if troll else READER_TEXT),
            body_html=f"<p>Comment {i}</p>",
            screening=[{"step": "first_time", "verdict": "hold", "reason": "first comment"}],
            akismet_verdict="ham",
            created_at=start + timedelta(minutes=i),
        )
        for i, (name, email, ip, troll) in enumerate(rows)
    )
    Comment.objects.filter(thread__isnull=True).update(thread_id=F("pk"))
    link_existing()
    return set(troll_emails())


def log_in(page, base, user):
    page.goto(f"{base}/admin/login/?next=/admin/comments/comment/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_selector("#result_list .queue-comment")


def clear_troll_queue(base, user, trolls, *, with_bans):
    """Clear the held comments by keyboard; (keystrokes, page loads, seconds)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    keystrokes = cleared = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, base, user)
        loads = []
        page.on("framenavigated", lambda f: f == page.main_frame and loads.append(f.url))

        def arm():
            page.evaluate(
                """() => { window.benchTimes = [];
                    document.addEventListener('queue:updated', e => benchTimes.push(e.detail.ms));
                    document.addEventListener('queue:ready', () => benchTimes.push(0)); }"""
            )

        arm()
        began = time.perf_counter()
        while True:  # (no ORM in here: Playwright's sync API runs an event loop)
            try:
                current = page.wait_for_selector(
                    "#result_list tr.queue-current:not(.queue-done)", timeout=5_000
                )
            except PlaywrightTimeout:
                break  # no row left to act on: the queue is empty
            if cleared >= HELD:
                break
            email = current.query_selector("td.field-author .moderation-meta a").inner_text()
            is_troll = email.strip().lower() in trolls
            if is_troll and with_bans:
                page.keyboard.press("b")
                page.wait_for_selector("dialog.ban-dialog #id_reason:focus")
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                keystrokes += 2
                cleared += 1
                page.wait_for_selector("#result_list, #changelist")
                arm()
                continue
            done = page.evaluate("window.benchTimes.length")
            page.keyboard.press("s" if is_troll else "a")
            keystrokes += 1
            cleared += 1
            wait_until(page, f"window.benchTimes.length > {done}")
        wall = time.perf_counter() - began
        browser.close()
    return keystrokes, len(loads), wall


# The open rows of the queue's page, in order: (row id, author's email, focused).
OPEN_ROWS = """() => Array.from(document.querySelectorAll('#result_list tbody tr'))
    .filter(r => !r.classList.contains('queue-done') && r.querySelector('.queue-comment'))
    .map(r => [r.querySelector('.queue-comment').id,
               (r.querySelector('td.field-author .moderation-meta a') || {}).innerText || '',
               r.classList.contains('queue-current')])"""
# Whether the page's last open row is in view (its bottom inside the window).
LAST_ROW_SEEN = """() => { const rows = Array.from(document.querySelectorAll(
    '#result_list tbody tr:not(.queue-done)')); const last = rows[rows.length - 1];
    return !last || last.getBoundingClientRect().bottom <= window.innerHeight; }"""


def settled_scroll(page):
    """The page's scroll position once it has stopped moving (a smooth scroll takes a while)."""
    y = page.evaluate("window.scrollY")
    while True:
        time.sleep(0.1)
        now = page.evaluate("window.scrollY")
        if now == y:
            return y
        y = now


def clear_by_pages(base, user, trolls):
    """Clear the held comments a page at a time (the third way, module docstring); returns
    (keystrokes, of which reading (Home, Page Down) and moving (j, k), page loads, seconds)."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    keystrokes = reading = moving = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, base, user)
        page.wait_for_selector("body.queue-js")
        loads = []
        page.on("framenavigated", lambda f: f == page.main_frame and loads.append(f.url))
        page.evaluate("() => { window.benchPages = 0; document.addEventListener("
                      "'queue:ready', () => benchPages++); }")  # fmt: skip
        began = time.perf_counter()
        while rows := page.evaluate(OPEN_ROWS):
            ids = [row_id for row_id, _, _ in rows]
            at = next((i for i, (_, _, focused) in enumerate(rows) if focused), 0)
            troll = next(
                (i for i, (_, e, _) in enumerate(rows) if e.strip().lower() in trolls), None
            )
            if troll is not None:  # to the troll's row, then ban them (the page comes back)
                key = "j" if troll > at else "k"
                focused = f"() => document.querySelector('tr.queue-current #{ids[troll]}')"
                while not page.evaluate(focused):
                    page.keyboard.press(key)
                    moving += 1
                page.keyboard.press("b")
                page.wait_for_selector("dialog.ban-dialog #id_reason:focus")
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                keystrokes += 2
                page.wait_for_selector("body.queue-js")  # the keys are on again
                page.evaluate("() => { window.benchPages = 0; document.addEventListener("
                              "'queue:ready', () => benchPages++); }")  # fmt: skip
                continue
            # Only readers on the page: read it to its last row, then approve it at once.
            if settled_scroll(page) > 0:
                page.keyboard.press("Home")
                reading += 1
                settled_scroll(page)
            while not page.evaluate(LAST_ROW_SEEN):
                page.keyboard.press("PageDown")
                reading += 1
                settled_scroll(page)
            pages = page.evaluate("window.benchPages")
            page.keyboard.press("*")
            page.keyboard.press("a")
            keystrokes += 2
            wait_until(page, f"window.benchPages > {pages}", timeout=60)
        wall = time.perf_counter() - began
        browser.close()
    keystrokes += reading + moving
    return keystrokes, reading, moving, len(loads), wall


def troll_scenario(base, user, article_ids):
    trolls = troll_queue(article_ids)
    one, one_loads, one_wall = clear_troll_queue(base, user, trolls, with_bans=False)
    troll_queue(article_ids)
    banned, ban_loads, ban_wall = clear_troll_queue(base, user, trolls, with_bans=True)
    bans = Ban.objects.count()
    left = Comment.objects.in_moderation().count()
    troll_keys = banned - (HELD - TROLL_COMMENTS)
    troll_queue(article_ids)
    paged, reading, moving, paged_loads, paged_wall = clear_by_pages(base, user, trolls)
    paged_bans = Ban.objects.count()
    paged_left = Comment.objects.in_moderation().count()
    approved = Comment.objects.filter(status=Comment.Status.APPROVED).count()
    print(f"troll scenario: {HELD} held, {TROLL_COMMENTS} from {len(TROLL_ADDRESSES)} trolls "
          f"under {sum(TROLL_ADDRESSES)} addresses; left held: {left}, {paged_left}")  # fmt: skip
    print(f"  one by one: {one} keystrokes, {one_loads} page loads, {one_wall:.1f} s")
    print(f"  with bans:  {banned} keystrokes, {ban_loads} page loads ({bans} bans), "
          f"{ban_wall:.1f} s")  # fmt: skip
    print(f"  keystrokes saved, whole queue: {100 * (one - banned) / one:.0f} %; "
          f"the trolls' 60 comments: {TROLL_COMMENTS} -> {troll_keys} "
          f"({100 * (TROLL_COMMENTS - troll_keys) / TROLL_COMMENTS:.0f} % fewer)")  # fmt: skip
    print(f"  with bans, then a page at a time: {paged} keystrokes ({reading} to read the "
          f"pages, {moving} to reach a troll's row), {paged_loads} page loads ({paged_bans} "
          f"bans; {approved} approved), {paged_wall:.1f} s")  # fmt: skip
    print(f"  keystrokes saved, whole queue: {100 * (one - paged) / one:.0f} % (target >= 40 %)")


def commenter_page(client, article_ids):
    """A commenter with COMMENTER_COMMENTS comments (one INSERT), their page's server time."""
    commenter = Commenter.objects.create(
        key="email:prolific@example.com", email="prolific@example.com",
        email_family="prolific@example.com", name="Prolific", name_key="prolific",
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO comments_comment (
                article_id, parent_id, thread_id, depth, path, thread_visible, user_id,
                author_name, author_email, author_url, body, body_html, notify_replies,
                status, status_changed_at, created_at, updated_at, ip_address, user_agent,
                referrer, screening, akismet_verdict, akismet_request, akismet_response,
                akismet_attempts, commenter_id, helpful_count, notify_published)
            SELECT %(article)s, NULL, NULL, 0, '', false, NULL,
                'Prolific ' || (g %% 3), 'prolific@example.com', '', 'Comment ' || g,
                '<p>Comment</p>', false,
                CASE WHEN g %% 10 < 8 THEN 'approved' WHEN g %% 10 < 9 THEN 'spam'
                     ELSE 'pending' END,
                now(), now() - g * interval '1 hour', now(),
                ('203.0.113.' || (g %% 5))::inet, '', '', '[]', 'ham', '{}', '{}', 0, %(c)s,
                0, false
            FROM generate_series(1, %(n)s) AS g
            """,
            {"article": article_ids[0], "c": commenter.pk, "n": COMMENTER_COMMENTS},
        )
        cursor.execute("UPDATE comments_comment SET thread_id = id, path = lpad(id::text, 10, '0')"
                       " WHERE thread_id IS NULL")  # fmt: skip
        cursor.execute("VACUUM ANALYZE comments_comment")
    url = reverse("admin:comments_commenter_change", args=[commenter.pk])
    captured = []

    def count(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    print(
        f"commenter page, {COMMENTER_COMMENTS:,} comments: {len(captured)} queries, "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms (target < 150 ms)"
    )


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
        commenter_page(client, article_ids)


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
        commenter_page(client, article_ids)
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
