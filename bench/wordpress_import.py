"""
How long does `manage.py import_wordpress` take on a big site, and how much memory?

    .venv/bin/python bench/wordpress_import.py              # 1,000 posts x 100 comments, SQLite
    .venv/bin/python bench/wordpress_import.py 200 50       # posts, comments per post
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fitness_wp_bench \
        .venv/bin/python bench/wordpress_import.py          # PostgreSQL (the database is dropped)

It writes a WXR 1.2 file shaped like the shared export (`../shared/wordpress/`): posts with
block markup, a table and a list; comments with Akismet's meta as WordPress writes it, 60 %
top-level, 30 % replies, 10 % replies to replies (some replies before their parent in the
file), 90 % approved, 6 % pending, 3 % spam, 1 % in the trash, and a pingback per post. Then it
runs the command as a site owner would, in a child process, and prints its wall time and peak
memory (the child's VmHWM, from getrusage), and on a local PostgreSQL the CPU time of the
server process that served it; then runs it again (it must change nothing); then
times the one-at-a-time path (`posting.create_comment` for each comment) on a sample, the
measured reason for the bulk path. Target: the first import under 60 s and 500 MiB.
"""

import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bootstrap

ROOT = bootstrap.ROOT
bootstrap.setup(
    DATABASE_URL=bootstrap.given_or_sqlite_url("wordpress.sqlite3"),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from comments.models import Comment  # noqa: E402
from comments.services.posting import create_comment  # noqa: E402
from fitness.articles.models import Article  # noqa: E402

POSTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
PER_POST = int(sys.argv[2]) if len(sys.argv) > 2 else 100
SAMPLE = 2_000  # comments made one at a time, for the comparison
SITE = "https://big.example.com"
STATUSES = [("1", 0.90), ("0", 0.06), ("spam", 0.03), ("trash", 0.01)]
BODY = """<!-- wp:paragraph -->
<p>Paragraph {n} about recovery, sleep and <strong>electrolytes</strong>; warm up first.</p>
<!-- /wp:paragraph -->

<!-- wp:list -->
<ul><li>water</li><li>sleep</li><li>stretching</li></ul>
<!-- /wp:list -->

<!-- wp:table -->
<figure class="wp-block-table"><table><thead><tr><th>Day</th><th>Work</th></tr></thead>
<tbody><tr><td>Monday</td><td>Run</td></tr><tr><td>Tuesday</td><td>Rest</td></tr></tbody>
</table></figure>
<!-- /wp:table -->
"""


def cdata(text):
    return f"<![CDATA[{text}]]>"


def comment_xml(cid, parent, status, when, rng, kind="comment"):
    name = f"Reader {cid}"
    email = f"reader{cid}@example.org"
    text = f"Comment {cid}: my calves twitch after a slow walk but not after a run. " * (
        1 + cid % 3
    )
    stamp = when.timestamp()
    meta = ""
    if kind == "comment":
        event = "check-spam" if status == "spam" else "check-ham"
        meta = (
            "<wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key><wp:meta_value>"
            f"{cdata('true' if status == 'spam' else 'false')}</wp:meta_value></wp:commentmeta>"
            "<wp:commentmeta><wp:meta_key>akismet_history</wp:meta_key><wp:meta_value>"
            + cdata(
                f'a:3:{{s:4:"time";d:{stamp + 0.25};s:5:"event";s:{len(event)}:"{event}";'
                's:4:"user";s:0:"";}'
            )
            + "</wp:meta_value></wp:commentmeta>"
            "<wp:commentmeta><wp:meta_key>akismet_as_submitted</wp:meta_key><wp:meta_value>"
            + cdata(
                f'a:2:{{s:10:"user_agent";s:40:"Mozilla/5.0 (Windows NT 6.1) Firefox/3.6";'
                f's:4:"blog";s:22:"{SITE}";}}'
            )
            + "</wp:meta_value></wp:commentmeta>"
        )
    if status == "trash":
        meta += (
            "<wp:commentmeta><wp:meta_key>_wp_trash_meta_status</wp:meta_key>"
            "<wp:meta_value>1</wp:meta_value></wp:commentmeta>"
        )
    date = when.strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>{cdata(name)}</wp:comment_author>"
        f"<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>"
        "<wp:comment_author_url></wp:comment_author_url>"
        f"<wp:comment_author_IP>{cdata(f'203.0.113.{cid % 250}')}</wp:comment_author_IP>"
        f"<wp:comment_date>{cdata(date)}</wp:comment_date>"
        f"<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(text)}</wp:comment_content>"
        f"<wp:comment_approved>{cdata(status)}</wp:comment_approved>"
        f"<wp:comment_type>{cdata(kind)}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        f"<wp:comment_user_id>0</wp:comment_user_id>{meta}</wp:comment>\n"
    )


CHANNEL_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><title>Big</title>'
    f"<link>{SITE}</link><wp:wxr_version>1.2</wp:wxr_version>"
    f"<wp:base_site_url>{SITE}</wp:base_site_url>"
    f"<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
    "<wp:author><wp:author_id>2</wp:author_id><wp:author_login>dana</wp:author_login>"
    "<wp:author_email>dana@big.example</wp:author_email><wp:author_display_name>"
    "Dana Reyes</wp:author_display_name></wp:author>\n"
    "<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>fitness"
    "</wp:category_nicename><wp:cat_name>Fitness</wp:cat_name></wp:category>\n"
)


def post_xml(post, when):
    """A post's <item> up to its comments."""
    pid = 100_000_000 + post
    slug = f"post-number-{post}"
    link = f"{SITE}/{when:%Y/%m/%d}/{slug}/"
    return (
        f"<item><title>{cdata(f'Post number {post}')}</title><link>{link}</link>"
        f'<dc:creator>dana</dc:creator><guid isPermaLink="false">{SITE}/?p={pid}</guid>'
        f"<content:encoded>{cdata(BODY.format(n=post))}</content:encoded>"
        "<excerpt:encoded></excerpt:encoded>"
        f"<wp:post_id>{pid}</wp:post_id>"
        f"<wp:post_date>{when:%Y-%m-%d %H:%M:%S}</wp:post_date>"
        f"<wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
        f"<wp:post_modified_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_modified_gmt>"
        "<wp:comment_status>open</wp:comment_status>"
        f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
        "<wp:post_type>post</wp:post_type>"
        '<category domain="category" nicename="fitness"><![CDATA[Fitness]]></category>\n'
    )


def post_comments(post, when, rng, cid):
    """A post's PER_POST reader comments (threads three deep) and a pingback, a few out of
    order; returns (their XML blocks, the last reader comment's id)."""
    ids, blocks = [], []
    for n in range(PER_POST):
        cid += 1
        roll = rng.random()
        tops = [i for i, depth in ids if depth == 0]
        replies = [i for i, depth in ids if depth == 1]
        if roll < 0.6 or not tops:
            parent, depth = 0, 0
        elif roll < 0.9 or not replies:
            parent, depth = rng.choice(tops), 1
        else:
            parent, depth = rng.choice(replies), 2
        ids.append((cid, depth))
        status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        blocks.append(comment_xml(cid, parent, status, when + timedelta(hours=n + 1), rng))
    blocks.append(comment_xml(900_000_000 + post, 0, "1", when, rng, kind="pingback"))
    # WordPress writes comments in id order; shuffle a few so parents come later.
    for _ in range(PER_POST // 20):
        a, b = rng.randrange(len(blocks)), rng.randrange(len(blocks))
        blocks[a], blocks[b] = blocks[b], blocks[a]
    return blocks, cid


def write_export(path, rng):
    """The WXR file, written as a stream; returns (posts, reader comments)."""
    start = datetime(2012, 1, 1, tzinfo=UTC)
    cid = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(CHANNEL_HEAD)
        for post in range(1, POSTS + 1):
            when = start + timedelta(days=post)
            out.write(post_xml(post, when))
            blocks, cid = post_comments(post, when, rng, cid)
            out.write("".join(blocks))
            out.write("</item>\n")
        out.write("</channel></rss>\n")
    return POSTS, cid


class ServerCPU(threading.Thread):
    """The CPU time of the PostgreSQL backend serving the import (its /proc/<pid>/stat, read
    every 0.2 s while it runs; the server's side of the wait). None when the server is not
    on this machine or its processes cannot be read."""

    def __init__(self):
        super().__init__(daemon=True)
        self.seconds, self.done = {}, threading.Event()

    def run(self):
        if connection.vendor != "postgresql":
            return
        tick = os.sysconf("SC_CLK_TCK")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            own = cursor.fetchone()[0]
        query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s"
        while not self.done.wait(0.2):
            with connection.cursor() as cursor:
                cursor.execute(query, [own])
                pids = [row[0] for row in cursor.fetchall()]
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.seconds[pid] = (int(fields[11]) + int(fields[12])) / tick
        connection.close()

    def total(self):
        self.done.set()
        self.join()
        return sum(self.seconds.values()) if self.seconds else None


def run_command(path):
    """The import as a site owner runs it, in a child process: (seconds, CPU seconds, output,
    the server's CPU seconds or None). The CPU time is the child's own (user + system), which
    the machine's other work does not inflate as much as the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = ServerCPU()
    server.start()
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "import_wordpress", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - began
    server_cpu = server.total()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode:
        print(result.stdout[-3000:], result.stderr[-3000:])
        raise SystemExit("the import failed")
    return elapsed, cpu, result.stdout, server_cpu


def one_at_a_time(sample):
    """create_comment for `sample` comments (what the import would do without the bulk path)."""
    article = Article.objects.create(
        title="One at a time", slug="one-at-a-time", body="x", status="published"
    )
    began = time.perf_counter()
    with transaction.atomic():
        parents = []
        for n in range(sample):
            parent = parents[n % len(parents)] if parents and n % 3 == 0 else None
            comment = create_comment(
                Comment(
                    article=article,
                    parent=parent,
                    author_name=f"R{n}",
                    author_email=f"r{n}@example.org",
                    body="A comment made one at a time.",
                ),
                status="approved",
                actor_label="bench",
                announce=False,
            )
            if parent is None:
                parents.append(comment)
    return time.perf_counter() - began


def summary_lines(output):
    return [
        line
        for line in output.splitlines()
        if line.split(":")[0] in ("Articles", "Comments", "History entries", "Redirects")
    ]


def main():
    rng = random.Random(18)
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    export = Path(tempfile.mkdtemp(prefix="fitness-wxr-")) / "big.wordpress.xml"
    began = time.perf_counter()
    posts, comments = write_export(export, rng)
    size = export.stat().st_size
    print(
        f"WXR: {posts:,} posts, {comments:,} reader comments and {posts:,} pingbacks, "
        f"{size / 2**20:.0f} MiB, written in {time.perf_counter() - began:.1f} s"
    )

    load = os.getloadavg()[0]
    first, cpu, output, server = run_command(export)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
    print(
        f"first import on {vendor}: {first:.1f} s wall, {cpu:.1f} s CPU"
        + (f" (+ {server:.1f} s the server's)" if server is not None else "")
        + f", peak memory {peak:.0f} MiB (target < 60 s, < 500 MiB); load average "
        f"{load:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    for line in summary_lines(output):
        print("   ", line)
    second, cpu, output, server = run_command(export)
    print(
        f"second import (changes nothing): {second:.1f} s wall, {cpu:.1f} s CPU"
        + (f" (+ {server:.1f} s the server's)" if server is not None else "")
        + f"; load average {os.getloadavg()[0]:.1f}"
    )
    for line in summary_lines(output):
        print("   ", line)
    total = Comment.objects.count()
    seconds = one_at_a_time(SAMPLE)
    per = seconds / SAMPLE
    print(
        f"one at a time (create_comment): {SAMPLE:,} comments in {seconds:.1f} s = "
        f"{per * 1000:.2f} ms each; {total:,} would take ~{per * total:.0f} s "
        "(history and Akismet lines not counted)"
    )
    export.unlink()


if __name__ == "__main__":
    main()
