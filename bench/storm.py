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
service the admin's action calls (`moderation.apply("approve", ...)`, in this process, each
comment committed alone as the action does; the last commit is when the approval happened, and
the article's comments_version read in that transaction is what a reader must be shown).

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
import sys
import time
from pathlib import Path

from nginx import NGINX
from processes import Emulator, free_port
from serving import (
    RESULTS,
    Site,
    commit,
    create_article,
    fresh_database,
    load,
    setup_django,
    site_env,
)
from storm_readers import LIVE_EVERY, WARM_UP, Stats, Storm
from storm_report import markdown, report, targets

CHECK = "/1.1/comment-check"
MODERATOR_EVERY = 2.0


# --- The moderator -------------------------------------------------------------------------------


def approve_held(article, moderator, since_pk):
    """Approve every comment held on the article with a pk above `since_pk`, as the admin's
    bulk action does (each comment in its own transaction: one transaction around them all
    would hold the article's row, which every published post updates, for the whole batch);
    returns (pks, the moment of the last commit, comments_version at it)."""
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
    *first, last = held
    moderation.apply("approve", first, by=moderator, expected="pending")
    with transaction.atomic():  # the last one's own: the version is read under its row lock
        moderation.apply("approve", [last], by=moderator, expected="pending")
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
            extra = {"load_before": load(), "seconds": options.seconds, "live_every_s": LIVE_EVERY}

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
