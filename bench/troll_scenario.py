"""
The troll scenario of bench/moderation_flow.py (issue 25; its docstring says what is done and
measured): a queue of first comments from readers and from trolls writing under several
addresses, cleared in Chromium three ways (one by one; with bans; with bans, then a page at a
time), with the keystrokes and page loads of each; then the page of a commenter with
10,000 comments. Imported once Django is set up.
"""

import statistics
import time

from django.db import connection
from django.db.models import F
from django.urls import reverse
from queue_browser import queue_page, wait_until

from comments.models import Ban, Comment, Commenter
from comments.services.commenters import link_existing

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
QUEUED = 200  # held comments: TROLL_COMMENTS trolls', the rest readers' first ones


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
    for i in range(QUEUED - TROLL_COMMENTS):
        rows.append((f"Reader {i}", f"reader{i}@example.com", f"198.51.100.{i % 250}", False))
    random.Random(25).shuffle(rows)
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 1, 1, tzinfo=UTC)
    Comment.objects.bulk_create(
        Comment(
            article_id=article_ids[i % len(article_ids)],
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


def clear_troll_queue(base, user, trolls, *, with_bans):
    """Clear the held comments by keyboard; (keystrokes, page loads, seconds)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    keystrokes = cleared = 0
    with queue_page(base, user) as page:
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
            if cleared >= QUEUED:
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
    keystrokes = reading = moving = 0
    with queue_page(base, user) as page:
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
    keystrokes += reading + moving
    return keystrokes, reading, moving, len(loads), wall


def troll_scenario(base, user, article_ids):
    trolls = troll_queue(article_ids)
    one, one_loads, one_wall = clear_troll_queue(base, user, trolls, with_bans=False)
    troll_queue(article_ids)
    banned, ban_loads, ban_wall = clear_troll_queue(base, user, trolls, with_bans=True)
    bans = Ban.objects.count()
    left = Comment.objects.in_moderation().count()
    troll_keys = banned - (QUEUED - TROLL_COMMENTS)
    troll_queue(article_ids)
    paged, reading, moving, paged_loads, paged_wall = clear_by_pages(base, user, trolls)
    paged_bans = Ban.objects.count()
    paged_left = Comment.objects.in_moderation().count()
    approved = Comment.objects.filter(status=Comment.Status.APPROVED).count()
    print(f"troll scenario: {QUEUED} held, {TROLL_COMMENTS} from {len(TROLL_ADDRESSES)} trolls "
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


def commenter_page(client, article_ids, *, requests):
    """A commenter with COMMENTER_COMMENTS comments (one INSERT), their page's server time
    (median of `requests`)."""
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
    for _ in range(requests):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    print(
        f"commenter page, {COMMENTER_COMMENTS:,} comments: {len(captured)} queries, "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms (target < 150 ms)"
    )
