#!/usr/bin/env python
"""
A posting storm on a viral article (issue 29): 1,000 readers on one article through nginx
while they post 50 comments a second for 60 s, Akismet (the emulator) answers every check in
300 ms, and a moderator approves what is held.

The production topology of bench/serving.py (`Site`: gunicorn for pages, 2 workers; the posting
pool with the guide's flags; nginx with deploy/nginx.conf.example's blocks). Each reader is a
browser with its own address (X-Forwarded-For, which nginx trusts from 127.0.0.1, as from a
load balancer) and its own cookies, kept as a browser keeps them:

* it opens the article (a GET with its cookies), then does what static/js/comments.js does while
  the tab is visible: asks /comments/live/<id>/ every 5 s (± 20 %) with If-None-Match and no
  cookies; when new comments are offered, it presses "show" (the page again, with its
  cookies) if it last read the page more than 30 s ago (--show-every);
* `--returning` of them (30 %) are returning commenters: before the storm each posted a comment
  with "Save my name" ticked and a moderator approved it, so they carry comment_author (and
  their comments_editable / comments_pending cookies while those last);
* the posts are spread evenly over the readers, 50 a second: the reader sends the form of the
  page it last read (POST, to the posting pool) with the field the script adds
  (comments.web.views.LANDING_FIELD), follows the redirect to its comment on the shared page,
  as a browser does (a page nginx may serve from its cache, read with the cookies the post just
  set), then asks /comments/mine/<id>/ for the page's order and number, as the script does
  whenever the comments_mine hint is there (also when a returning reader opens the article).
  Each text is unique.

A moderator approves every comment held since the last look, every 2 s, through the moderation
service the admin's action calls (`moderation.apply("approve", ...)`, in this process; its
commit is when the approval happened, and the article's comments_version read in the same
transaction is what a reader must be shown).

Printed: the share of reads nginx passed to gunicorn (X-Cache-Status MISS, EXPIRED, BYPASS and
cache-less answers), read p50/p99 (every GET of a page or a live poll, also split: pages,
landings after a post, live polls), the private requests apart (`mine`: private by design, each
reaches gunicorn; count, p50/p99, and how many landings lacked the writer's comment and whether
`mine` brought it), post p50/p99,
comments lost (a post that was not refused and is not stored) and duplicated (a text stored
twice), and for the approvals: how long after one every answer any reader got reflected it
("stale for"), and when the last reader's own poll saw it (bounded by the 5 s poll).
Targets: ≥ 95 % of reads from the cache, read p99 ≤ 20 ms, post p99 ≤ 400 ms, 0 lost,
0 duplicated, stale for ≤ 2 s.

    .venv/bin/python bench/storm.py [--readers 1000] [--seconds 60] [--rate 50]
                                    [--akismet-ms 300] [--returning 0.3]
                                    [--single-pool [--akismet-max-concurrent N]]

`--single-pool` compares with the topology before the posting pool: nginx sends the posts to the
page workers (`--akismet-max-concurrent 0`: as before the in-process limit too).

PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (its own database, STORM_DATABASE_NAME,
default `fitness_storm`), SQLite + local-memory cache otherwise. Needs nginx. The readers are
one asyncio process with plain sockets (up to 400 keep-alive connections to nginx for reads,
300 for posts: enough that no reader waits for another's connection, as browsers have their
own); the times are from the moment a request is written on a connection to its last byte.
The last line is a JSON report (also in bench/results/storm.json). Exit status 0 when nothing
was lost or stored twice; 1 otherwise.
"""

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from nginx import NGINX
from processes import Emulator, free_port
from serving import (
    RESULTS,
    CommentFormReader,
    Site,
    commit,
    create_article,
    fresh_database,
    load,
    ms,
    percentile,
    setup_django,
    site_env,
)

CHECK = "/1.1/comment-check"
LIVE_EVERY = 5.0  # static/js/comments.js: `every`
MODERATOR_EVERY = 2.0
WARM_UP = 5.0  # readers open the page over this many seconds before the storm
FORM = re.compile(rb'<form [^>]*id="commentform".*?</form>', re.S)
FROM_CACHE = {"HIT", "STALE", "UPDATING", "REVALIDATED"}
PERSONAL_COOKIES = ("comment_author", "comments_pending", "comments_editable")


# --- HTTP over a few keep-alive connections ------------------------------------------------------


class Connections:
    """Keep-alive HTTP/1.1 connections to nginx, shared by the readers (a browser has its own;
    what nginx and gunicorn do is the same). Plain sockets: the client must stay cheap beside
    the servers on a 2-core machine."""

    def __init__(self, port, size):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.idle = asyncio.Queue()
        for _ in range(size):
            self.idle.put_nowait(None)

    async def request(self, method, path, headers=(), body=b""):
        """(status, {name: [values]}, body, seconds on the wire)."""
        connection = await self.idle.get()
        try:
            if connection is None:
                connection = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = connection
            lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", *headers]
            if body or method == "POST":
                lines.append(f"Content-Length: {len(body)}")
            started = time.perf_counter()
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            status, answer, content = await read_response(reader)
            seconds = time.perf_counter() - started
            if "close" in answer.get("connection", [""])[0].lower():
                writer.close()
                connection = None
            return status, answer, content, seconds
        except (OSError, asyncio.IncompleteReadError, ValueError):
            if connection is not None:
                connection[1].close()
            connection = None
            raise
        finally:
            self.idle.put_nowait(connection)


async def read_response(reader):
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in headers.get("transfer-encoding", [""])[0]:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        return status, headers, b"".join(part[:-2] for part in parts)
    length = int(headers.get("content-length", ["0"])[0])
    return status, headers, (await reader.readexactly(length) if length else b"")


# --- The readers ---------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.reads = []  # (kind, seconds, X-Cache-Status)
        self.mine = []  # seconds of each private request (`comments:mine`), apart from reads
        self.landings = Counter()  # after a post: "lacked" its comment; "brought" by mine
        self.posts = []  # seconds
        self.last_post_answered = None
        self.answers = []  # (reader, started, ended, comments_version) of every live answer
        self.outcomes = {}  # text -> status of its POST, or the error
        self.errors = Counter()
        self.measuring = False

    def read(self, kind, seconds, cache):
        if self.measuring:
            self.reads.append((kind, seconds, cache))


class Reader:
    def __init__(self, number, *, returning):
        self.number = number
        self.returning = returning
        self.ip = f"10.{number // 250 % 250}.{number % 250 + 1}.{number // 62500 + 1}"
        self.name = f"Storm Reader {number}"
        self.email = f"storm-{number}@example.com"
        self.cookies = {}
        self.form = None  # (action, fields) of the page last read
        self.page_read_at = 0.0
        self.count = None  # comments the page last read showed
        self.version = None  # the live endpoint's, with its ETag
        self.etag = None

    def cookie_header(self):
        if not self.cookies:
            return []
        return ["Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items())]

    def keep_cookies(self, headers):
        for line in headers.get("set-cookie", []):
            pair, *attributes = line.split(";")
            name, _, value = pair.strip().partition("=")
            gone = value in ("", '""') or any(a.strip().lower() == "max-age=0" for a in attributes)
            if gone:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    @property
    def personal(self):
        return any(name in self.cookies for name in PERSONAL_COOKIES)


class Storm:
    def __init__(self, options, site, article, stats):
        self.options = options
        self.site = site
        self.article = article
        self.path = article.get_absolute_url()
        self.live = f"/comments/live/{article.pk}/"
        from django.urls import reverse

        from comments.readers.cookies import HINT_COOKIE
        from comments.web.views import LANDING_FIELD, SHARED_LANDING

        self.mine = reverse("comments:mine", args=[article.pk])
        # The hint the script asks `mine` on; the field it adds to the form (and its value).
        self.hint, self.landing = HINT_COOKIE, {LANDING_FIELD: SHARED_LANDING}
        self.stats = stats
        self.reads = Connections(site.nginx.port, options.connections)
        self.writes = Connections(site.nginx.port, options.post_connections)
        self.origin = site.url
        readers = options.readers
        returning = set(random.Random(29).sample(range(readers), int(readers * options.returning)))
        self.readers = [Reader(n, returning=n in returning) for n in range(readers)]

    async def read_page(self, reader, path=None, kind="page"):
        """GET the article page with the reader's cookies; (status, body)."""
        headers = [f"X-Forwarded-For: {reader.ip}", *reader.cookie_header()]
        status, answer, body, seconds = await self.reads.request("GET", path or self.path, headers)
        reader.keep_cookies(answer)
        self.stats.read(kind, seconds, answer.get("x-cache-status", ["-"])[0])
        if status == 200:
            found = FORM.search(body)
            form = CommentFormReader()
            form.feed(found.group(0).decode() if found else "")
            if form.action:
                reader.form = (form.action, form.fields)
            count = re.search(rb'id="comments"[^>]*data-count="(\d+)"', body)
            if count:
                reader.count = int(count.group(1))
            reader.page_read_at = time.monotonic()
        return status, body

    async def open_page(self, reader, path=None, kind="page"):
        """The page as a browser opens it: then, when the hint cookie is there, the script's
        private request for the reader's part (`ask_mine`). (status, body, their part)."""
        status, body = await self.read_page(reader, path, kind)
        mine = await self.ask_mine(reader, path or self.path) if status == 200 else None
        return status, body, mine

    async def ask_mine(self, reader, path):
        """GET comments:mine with the page's `page` and `sort`, as static/js/comments.js does
        when the comments_mine hint is set; the parsed JSON, or None without the hint."""
        if self.hint not in reader.cookies:
            return None
        query = parse_qs(urlsplit(path).query)
        asked = {key: query[key][0] for key in ("page", "sort") if key in query}
        url = self.mine + (f"?{urlencode(asked)}" if asked else "")
        headers = [f"X-Forwarded-For: {reader.ip}", "Accept: application/json"]
        headers += reader.cookie_header()
        status, answer, body, seconds = await self.reads.request("GET", url, headers)
        reader.keep_cookies(answer)
        if self.stats.measuring:
            self.stats.mine.append(seconds)
        return json.loads(body) if status == 200 else None

    async def poll(self, reader):
        headers = ["Accept: application/json"]
        if reader.etag:
            headers.append(f"If-None-Match: {reader.etag}")
        started = time.monotonic()
        status, answer, body, seconds = await self.reads.request("GET", self.live, headers)
        self.stats.read("live", seconds, answer.get("x-cache-status", ["-"])[0])
        if status == 200:
            data = json.loads(body)
            reader.version, reader.etag = data["version"], answer.get("etag", [None])[0]
            offered = reader.count is not None and data["count"] > reader.count
        else:
            offered = False
        if self.stats.measuring and reader.version is not None:
            self.stats.answers.append((reader.number, started, time.monotonic(), reader.version))
        return offered

    async def post(self, reader, text):
        if reader.form is None:
            await self.open_page(reader)
        action, fields = reader.form
        data = {**fields, "name": reader.name, "email": reader.email, "comment": text}
        data["website"] = ""
        data.update(self.landing)  # the script's: land on the shared page
        if reader.returning:
            data["remember"] = "on"
        body = urlencode(data).encode()
        headers = [
            "Content-Type: application/x-www-form-urlencoded",
            f"X-Forwarded-For: {reader.ip}",
            f"Origin: {self.origin}",
            "Sec-Fetch-Site: same-origin",
            f"Referer: {self.origin}{self.path}",
            *reader.cookie_header(),
        ]
        try:
            status, answer, _, seconds = await self.writes.request("POST", action, headers, body)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            self.stats.outcomes[text] = type(error).__name__
            self.stats.errors[type(error).__name__] += 1
            return None
        reader.keep_cookies(answer)
        self.stats.outcomes[text] = status
        self.stats.last_post_answered = time.monotonic()
        if self.stats.measuring:
            self.stats.posts.append(seconds)
        location = answer.get("location", [""])[0]
        if status == 302 and location:
            # The browser follows the redirect to its comment, with the cookies just set; the
            # script asks for the reader's part, which brings the comment if the copy lacks it.
            path, _, anchor = location.removeprefix(self.origin).partition("#")
            try:
                _, body, mine = await self.open_page(reader, path, kind="after post")
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                self.stats.errors[type(error).__name__] += 1
                return status
            self.count_landing(anchor, body, mine)
        return status

    def count_landing(self, anchor, body, mine):
        """Whether the landed page lacked the writer's comment, and whether `mine` brought it
        (as a published row, or held: "pending"). It does not when the comment's page of
        threads changed in between (others' comments filled the last page): it belongs on
        another page now, and the script leaves it out of this one."""
        if not self.stats.measuring or not anchor or f'id="{anchor}"'.encode() in (body or b""):
            return
        self.stats.landings["lacked"] += 1
        mine = mine or {}
        published = {f"comment-{row['id']}" for row in mine.get("published", [])}
        if anchor in published or f'id="{anchor}"' in mine.get("pending", ""):
            self.stats.landings["brought"] += 1

    async def reader_loop(self, reader, stop_at):
        await asyncio.sleep(random.uniform(0, WARM_UP))
        try:
            await self.open_page(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            self.stats.errors[type(error).__name__] += 1
        while time.monotonic() < stop_at:
            await asyncio.sleep(LIVE_EVERY * random.uniform(0.8, 1.2))
            try:
                offered = await self.poll(reader)
                stale = time.monotonic() - reader.page_read_at >= self.options.show_every
                if offered and stale:
                    await self.read_page(reader)  # "N new comments: show"
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                self.stats.errors[type(error).__name__] += 1

    async def posting(self, started, texts):
        tasks = []
        interval = 1 / self.options.rate
        for index, text in enumerate(texts):
            await asyncio.sleep(max(0.0, started + index * interval - time.monotonic()))
            reader = self.readers[index % len(self.readers)]
            tasks.append(asyncio.create_task(self.post(reader, text)))
        await asyncio.gather(*tasks)


# --- The moderator -------------------------------------------------------------------------------


def approve_held(article, moderator, since_pk):
    """Approve every comment held on the article with a pk above `since_pk`, as the admin's
    bulk action does; returns (pks, the moment of the commit, comments_version at it)."""
    from django.db import close_old_connections, transaction

    from comments.models import Comment
    from comments.services import moderation
    from fitness.articles.models import Article

    close_old_connections()
    held = list(
        Comment.objects.filter(article=article, status="pending", pk__gt=since_pk)
        .exclude(akismet_verdict="unchecked")
        .select_related("article")
        .order_by("pk")[:200]
    )
    if not held:
        return [], None, None
    with transaction.atomic():
        moderation.apply("approve", held, by=moderator, expected="pending")
        version = Article.objects.filter(pk=article.pk).values_list("comments_version", flat=True)
        version = version.get()
    return [c.pk for c in held], time.monotonic(), version


async def moderator_loop(article, moderator, stop_at, approvals):
    since = 0
    while time.monotonic() < stop_at - 6:  # the last approvals still have time to be seen
        await asyncio.sleep(MODERATOR_EVERY)
        pks, at, version = await asyncio.to_thread(approve_held, article, moderator, since)
        if pks:
            since = max(pks)
            approvals.append({"comments": len(pks), "at": at, "version": version})


# --- Set-up ---------------------------------------------------------------------------------------


def create_site():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    moderator = get_user_model().objects.create_user(
        "storm-moderator", "moderator@example.com", is_staff=True
    )
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_comment"))
    moderator.groups.add(group)
    return create_article(100), moderator


async def seed_returning(storm, moderator):
    """Each returning reader posts once (remembered: "Save my name"), and is approved."""
    returning = [reader for reader in storm.readers if reader.returning]
    for start in range(0, len(returning), 50):
        batch = returning[start : start + 50]
        await asyncio.gather(*(storm.open_page(r) for r in batch))
        await asyncio.gather(
            *(storm.post(r, f"[storm seed {r.number}] I have been here before.") for r in batch)
        )
    await asyncio.to_thread(approve_held, storm.article, moderator, 0)


def flood_seconds(options):
    """Flood control as a site sets it, below the interval at which each reader posts here
    (15 s for 1,000 readers at 50 a second)."""
    return max(1, min(15, int(options.readers / options.rate) - 1))


# --- Measures ----------------------------------------------------------------------------------


def stale_for(approval, answers):
    """How long after the approval a reader could still get an answer that did not reflect it
    (the last such answer's start), and when the last reader's own poll first showed it."""
    at, version = approval["at"], approval["version"]
    last_stale, first_seen = 0.0, {}
    for reader, started, ended, seen in answers:
        if started < at:
            continue
        if seen < version:
            last_stale = max(last_stale, started - at)
        elif reader not in first_seen or ended < first_seen[reader]:
            first_seen[reader] = ended
    last_reader = max(first_seen.values()) - at if first_seen else None
    return last_stale, last_reader, len(first_seen)


def report(options, stats, texts, approvals, extra):
    from comments.models import Comment

    stored = Counter(
        Comment.objects.filter(body__in=texts).values_list("body", flat=True).iterator()
    )
    outcomes = stats.outcomes
    refused = [t for t in texts if outcomes.get(t) == 400]
    lost = [t for t in texts if stored[t] == 0 and outcomes.get(t) != 400]
    statuses = Counter(str(outcomes.get(t, "not sent")) for t in texts)
    held = Counter(
        Comment.objects.filter(body__in=texts).values_list("status", "akismet_verdict").iterator()
    )
    reads = stats.reads
    reached = [r for r in reads if r[2] not in FROM_CACHE]
    by_kind = {}
    for kind in ("page", "after post", "live"):
        seconds = [r[1] for r in reads if r[0] == kind]
        kind_reached = sum(1 for r in reads if r[0] == kind and r[2] not in FROM_CACHE)
        by_kind[kind] = {
            "reads": len(seconds),
            "reached_gunicorn_pct": round(100 * kind_reached / max(len(seconds), 1), 1),
            "p50_ms": ms(percentile(seconds, 0.5)),
            "p99_ms": ms(percentile(seconds, 0.99)),
        }
    seen = [stale_for(a, stats.answers) for a in approvals]
    return {
        **extra,
        "readers": options.readers,
        "returning_share": options.returning,
        "posts_sent": len(texts),
        "post_statuses": dict(statuses),
        "stored": sum(1 for t in texts if stored[t]),
        "refused": len(refused),
        "lost": len(lost),
        "lost_examples": [(t, outcomes.get(t)) for t in lost[:3]],
        "duplicated": sum(1 for t in texts if stored[t] > 1),
        "stored_as": {f"{s}/{v}": n for (s, v), n in held.items()},
        "errors": dict(stats.errors),
        "reads": len(reads),
        "reads_per_s": round(len(reads) / options.seconds, 1),
        "reached_gunicorn_pct": round(100 * len(reached) / max(len(reads), 1), 1),
        "cache_statuses": dict(Counter(r[2] for r in reads)),
        "read_p50_ms": ms(percentile([r[1] for r in reads], 0.5)),
        "read_p99_ms": ms(percentile([r[1] for r in reads], 0.99)),
        "reads_by_kind": by_kind,
        "mine_requests": len(stats.mine),
        "mine_p50_ms": ms(percentile(stats.mine, 0.5)),
        "mine_p99_ms": ms(percentile(stats.mine, 0.99)),
        "landings_lacking_the_comment": stats.landings["lacked"],
        "of_which_mine_brought_it": stats.landings["brought"],
        "post_p50_ms": ms(percentile(stats.posts, 0.5)),
        "post_p99_ms": ms(percentile(stats.posts, 0.99)),
        "approvals": len(approvals),
        "approved_comments": sum(a["comments"] for a in approvals),
        "stale_for_max_s": round(max((s[0] for s in seen), default=0.0), 2),
        "last_reader_saw_max_s": round(max((s[1] for s in seen if s[1] is not None), default=0), 2),
        "readers_who_saw_the_last_approval": seen[-1][2] if seen else 0,
    }


def targets(result):
    return {
        "≥ 95 % of reads from the shared cache": result["reached_gunicorn_pct"] <= 5,
        "read p99 ≤ 20 ms": (result["read_p99_ms"] or 0) <= 20,
        "post p99 ≤ 400 ms": (result["post_p99_ms"] or 0) <= 400,
        "0 lost": result["lost"] == 0,
        "0 duplicated": result["duplicated"] == 0,
        "every answer reflects an approval within 2 s": result["stale_for_max_s"] <= 2,
    }


def markdown(result):
    kinds = result["reads_by_kind"]
    lines = [
        f"{result['readers']:,} readers ({result['returning_share']:.0%} returning commenters), "
        f"{result['posts_sent']:,} posts sent over {result['seconds']} s (the last answered at "
        f"{result['posting_s']} s), Akismet {result['akismet_ms']}"
        f" ms; {result['topology']} (page workers' AKISMET_MAX_CONCURRENT "
        f"{result['akismet_max_concurrent']}); {result['database']} + {result['cache']}; "
        f"load {result['load_before']} before, "
        f"{result['load_after']} after",
        "",
        "| figure | value |",
        "|---|---|",
        f"| reads | {result['reads']:,} ({result['reads_per_s']}/s); X-Cache-Status "
        f"{result['cache_statuses']} |",
        f"| reads that reached gunicorn | {result['reached_gunicorn_pct']} % |",
        f"| read p50 / p99 | {result['read_p50_ms']} / {result['read_p99_ms']} ms |",
    ]
    for kind, figures in kinds.items():
        lines.append(
            f"| … {kind} | {figures['reads']:,} reads, {figures['reached_gunicorn_pct']} % to "
            f"gunicorn, p50 {figures['p50_ms']} / p99 {figures['p99_ms']} ms |"
        )
    lines += [
        f"| private requests (`mine`, not reads: each reaches gunicorn) | "
        f"{result['mine_requests']:,}, p50 {result['mine_p50_ms']} / p99 "
        f"{result['mine_p99_ms']} ms |",
        f"| landings that lacked the writer's comment / `mine` brought it | "
        f"{result['landings_lacking_the_comment']} / {result['of_which_mine_brought_it']} |",
        f"| post p50 / p99 | {result['post_p50_ms']} / {result['post_p99_ms']} ms |",
        f"| posts answered | {result['post_statuses']}; stored as {result['stored_as']} |",
        f"| lost / duplicated | {result['lost']} / {result['duplicated']} |",
        f"| approvals | {result['approvals']} ({result['approved_comments']} comments) |",
        f"| approval → every answer shows it | {result['stale_for_max_s']} s |",
        f"| approval → the last reader's poll saw it | {result['last_reader_saw_max_s']} s "
        f"(polls every {LIVE_EVERY:g} s ± 20 %) |",
        f"| client errors | {result['errors'] or 0} |",
    ]
    return "\n".join(lines)


# --- Main ----------------------------------------------------------------------------------------


def run(options):
    redis_url = os.environ.get("REDIS_URL", "")
    emulator = Emulator(free_port(), name="storm-akismet").start()
    try:
        env = site_env(
            fresh_database(os.environ.get("STORM_DATABASE_NAME", "fitness_storm")),
            akismet_url=emulator.url,
            redis_url=redis_url,
            COMMENTS_FLOOD_SECONDS=str(flood_seconds(options)),
            DATABASE_CONN_MAX_AGE="600",
        )
        if options.akismet_max_concurrent is not None:
            env["AKISMET_MAX_CONCURRENT"] = str(options.akismet_max_concurrent)
        setup_django(env)
        from django.db import connection

        article, moderator = create_site()
        database, cache = connection.vendor, "redis" if redis_url else "locmem"
        with Site(env, posting_pool=not options.single_pool) as site:
            stats = Stats()
            texts = [
                f"[storm {n}] Reader {n % options.readers} on the warm-up, comment {n}."
                for n in range(int(options.rate * options.seconds))
            ]
            approvals = []
            extra = {"load_before": load(), "seconds": options.seconds}

            async def everything():
                storm = Storm(options, site, article, stats)  # its connections: this loop's
                await seed_returning(storm, moderator)
                # The seeds' own flood window passes before their next comment (not a refusal).
                await asyncio.sleep(max(0.0, flood_seconds(options) - WARM_UP))
                delay = options.akismet_ms / 1000
                emulator.misbehave("slow", seconds=delay, path=CHECK, count=None)
                extra["load_before"] = load()
                began = time.monotonic()
                stop_at = began + WARM_UP + options.seconds + 1
                readers = [storm.reader_loop(r, stop_at) for r in storm.readers]
                tasks = [asyncio.create_task(coroutine) for coroutine in readers]
                await asyncio.sleep(WARM_UP + 1)
                stats.measuring = True
                started = time.monotonic()
                watch = moderator_loop(article, moderator, started + options.seconds, approvals)
                await asyncio.gather(storm.posting(started, texts), watch)
                extra["posting_s"] = round(stats.last_post_answered - started, 1)
                await asyncio.gather(*tasks)
                stats.measuring = False

            asyncio.run(everything())
            extra["load_after"] = load()
        extra.update(
            database=database, cache=cache, akismet_ms=options.akismet_ms, commit=commit(),
            topology="single pool" if options.single_pool else "posting pool",
            akismet_max_concurrent=env.get("AKISMET_MAX_CONCURRENT", "default"),
        )  # fmt: skip
        return report(options, stats, texts, approvals, extra)
    finally:
        emulator.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60, help="how long the posting lasts")
    parser.add_argument("--rate", type=float, default=50, help="posts a second")
    parser.add_argument("--akismet-ms", type=int, default=300)
    parser.add_argument("--returning", type=float, default=0.3, help="share of readers")
    parser.add_argument("--show-every", type=float, default=30.0,
                        help="a reader shows new comments at most once in this many s")  # fmt: skip
    parser.add_argument("--single-pool", action="store_true",
                        help="no posting pool: nginx sends posts to the page workers")  # fmt: skip
    parser.add_argument("--akismet-max-concurrent", type=int,
                        help="the page workers' AKISMET_MAX_CONCURRENT (0: no limit)")  # fmt: skip
    parser.add_argument("--connections", type=int, default=400, help="for reads")
    parser.add_argument("--post-connections", type=int, default=300, help="for posts")
    options = parser.parse_args(argv)
    if not Path(NGINX).exists():
        print(f"{NGINX} is not installed (apt-get install nginx)", file=sys.stderr)
        return 2
    result = run(options)
    result["targets"] = targets(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "storm.json").write_text(json.dumps(result, indent=2))
    print(markdown(result))
    print()
    for name, met in result["targets"].items():
        print(f"{'PASS' if met else 'FAIL'}  {name}")
    print(json.dumps(result))
    return 0 if result["lost"] == 0 and result["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
