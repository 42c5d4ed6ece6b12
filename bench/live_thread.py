#!/usr/bin/env python
"""
Live threads: 1,000 open article tabs polling one article's change endpoint
(/comments/live/<id>/, static/js/comments.js) through nginx with the deploy example's cache,
while readers post and a moderator approves.

Each simulated tab does what the script does while visible: a conditional GET every 5 s
(± 20 %, so tabs spread out) with the ETag of its last answer; a 200 tells it the new count.
Readers post through nginx (to the posting pool: the production topology of bench/serving.py;
held: first-time commenters), a moderator approves each a couple of seconds later (the service
the admin calls, in this process).

Prints requests/s reaching gunicorn (its access log) against polls/s sent, the share of polls
that reached it (target: under 5 %), CPU time of nginx and gunicorn per 1,000 polls, and for
each approval the seconds until the last tab saw it (target: every tab within 10 s).

    .venv/bin/python bench/live_thread.py [--tabs 1000] [--seconds 45] [--every 5]

PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (its own database, BENCH_DATABASE_NAME,
default `fitness_live_bench`), SQLite + local-memory cache otherwise. Needs nginx. Runs about
a minute; results also go to bench/results/live_thread.json.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

import httpx
from http_client import Connections
from nginx import NGINX
from serving import (
    RESULTS,
    Site,
    bench_django,
    create_article,
    load,
    post_comment,
)

POSTS = 3  # readers' comments, each approved by the moderator


# --- A tab ---------------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.polls = 0
        self.statuses = {}
        self.cache = {}
        self.errors = 0


async def tab(number, connections, path, every, stop_at, seen, stats):
    """One open tab: polls until `stop_at`; records when it first saw each count."""
    await asyncio.sleep(random.uniform(0, every))  # tabs opened at different moments
    etag, count = None, None
    while time.monotonic() < stop_at:
        try:
            asked = ["Accept: application/json", *([f"If-None-Match: {etag}"] if etag else [])]
            status, answer, body, _ = await connections.request("GET", path, asked)
            headers = {name: values[0] for name, values in answer.items()}
        except (OSError, asyncio.IncompleteReadError, ValueError):
            stats.errors += 1
        else:
            stats.polls += 1
            stats.statuses[status] = stats.statuses.get(status, 0) + 1
            cache = headers.get("x-cache-status", "-")
            stats.cache[cache] = stats.cache.get(cache, 0) + 1
            if status == 200:
                etag = headers.get("etag")
                count = json.loads(body)["count"]
                now = time.monotonic()
                for known in range(count + 1):
                    seen.setdefault(known, {}).setdefault(number, now)
        await asyncio.sleep(every * random.uniform(0.8, 1.2))


# --- Readers and the moderator -----------------------------------------------------------------


def post_and_approve(site, article, index):
    """A reader posts (held, a first comment), a moderator approves; returns the time the
    approval was committed and the count it made."""
    from comments.models import Comment
    from comments.services.status import approve
    from fitness.articles.models import Article

    with httpx.Client(base_url=site.url, follow_redirects=False, timeout=30) as client:
        _, comment_id = post_comment(
            client,
            article.get_absolute_url(),
            name=f"Live reader {index}",
            email=f"live{index}@example.com",
            body=f"Posted while a thousand tabs watched ({index}).",
            ip=f"198.51.100.{index + 1}",
        )
    comment = Comment.objects.get(pk=comment_id)
    time.sleep(2)  # the moderator reads it
    approve(comment)
    approved_at = time.monotonic()
    return approved_at, Article.objects.get(pk=article.pk).comment_count


async def moderation(site, article, start_at, gap, events):
    for index in range(POSTS):
        await asyncio.sleep(max(0.0, start_at + index * gap - time.monotonic()))
        events.append(await asyncio.to_thread(post_and_approve, site, article, index))


# --- Measuring -----------------------------------------------------------------------------------


def cpu_seconds(pids):
    """utime + stime of the processes (and their reaped children's, which is none here)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def live_lines(log_path):
    return sum(1 for line in log_path.read_text().splitlines() if "/comments/live/" in line)


def run(options):
    from tools.akismet_emulator import AkismetEmulator

    redis_url = os.environ.get("REDIS_URL", "")
    with AkismetEmulator() as emulator:
        env = bench_django(
            "fitness_live_bench", akismet_url=emulator.url, COMMENTS_FLOOD_SECONDS="0"
        )
        article = create_article(100)
        path = f"/comments/live/{article.pk}/"
        report = {
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
            "database": "postgresql" if "postgres" in env["DATABASE_URL"] else "sqlite",
            "cache": "redis" if redis_url else "locmem",
            "tabs": options.tabs,
            "every_s": options.every,
            "load_before": load(),
        }
        with Site(env) as site:
            gunicorn, nginx = site.web, site.nginx
            assert httpx.get(f"{nginx.url}{path}").status_code == 200
            connections = Connections(nginx.port, options.connections)
            servers = [gunicorn.process.pid, *gunicorn.worker_pids()]
            servers += [nginx.process.pid, *children(nginx.process.pid)]
            seen, stats, events = {}, Stats(), []
            before_lines = live_lines(gunicorn.log_path)
            before_cpu = cpu_seconds(servers)
            began = time.monotonic()
            stop_at = began + options.seconds

            async def everything():
                tabs = [
                    tab(n, connections, path, options.every, stop_at, seen, stats)
                    for n in range(options.tabs)
                ]
                gap = (options.seconds - 12 - options.every) / POSTS
                watch = moderation(site, article, began + options.every + 2, gap, events)
                await asyncio.gather(watch, *tabs)

            asyncio.run(everything())
            elapsed = time.monotonic() - began
            cpu = cpu_seconds(servers) - before_cpu
            reached = live_lines(gunicorn.log_path) - before_lines
        report["load_after"] = load()
        report |= poll_figures(stats, elapsed, cpu, reached)
        report["approvals"] = approval_delays(events, seen, options.tabs)
    return report


def poll_figures(stats, elapsed, cpu, reached):
    """What the tabs' polls cost: how many, answered how, and how many reached gunicorn."""
    return {
        "elapsed_s": round(elapsed, 1),
        "polls": stats.polls,
        "polls_per_s": round(stats.polls / elapsed, 1),
        "errors": stats.errors,
        "statuses": stats.statuses,
        "nginx_cache": stats.cache,
        "gunicorn_requests": reached,
        "gunicorn_per_s": round(reached / elapsed, 2),
        "reached_gunicorn_pct": round(100 * reached / max(stats.polls, 1), 2),
        "cpu_s_per_1000_polls": round(1000 * cpu / max(stats.polls, 1), 3),
    }


def approval_delays(events, seen, tabs):
    """Per approval: how many tabs saw the new count, and how long the last one took (None
    unless every tab saw it)."""
    delays = []
    for approved_at, count in events:
        watchers = seen.get(count, {})
        last = max(watchers.values()) - approved_at if len(watchers) == tabs else None
        delays.append(
            {
                "count": count,
                "tabs_saw_it": len(watchers),
                "last_tab_s": round(last, 2) if last is not None else None,
            }
        )
    return delays


def markdown(report):
    worst = [d["last_tab_s"] for d in report["approvals"]]
    lines = [
        f"{report['tabs']:,} tabs, one poll each {report['every_s']} s ± 20 %, "
        f"{report['elapsed_s']} s; {report['database']} + {report['cache']}; "
        f"load {report['load_before']} before, {report['load_after']} after",
        "",
        "| figure | value |",
        "|---|---|",
        f"| polls sent (nginx) | {report['polls']:,} ({report['polls_per_s']}/s) |",
        f"| answers | {report['statuses']} ; X-Cache-Status {report['nginx_cache']} |",
        f"| requests reaching gunicorn | {report['gunicorn_requests']} "
        f"({report['gunicorn_per_s']}/s), {report['reached_gunicorn_pct']} % of polls |",
        f"| CPU (nginx + gunicorn) per 1,000 polls | {report['cpu_s_per_1000_polls']} s |",
        f"| approval → last tab saw it | {', '.join(f'{w} s' for w in worst)} |",
        f"| errors | {report['errors']} |",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=45, help="how long the tabs poll")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between a tab's polls")
    parser.add_argument("--connections", type=int, default=32, help="sockets to nginx")
    options = parser.parse_args()
    if not Path(NGINX).exists():
        print(f"{NGINX} is not installed (apt-get install nginx)", file=sys.stderr)
        return 2
    report = run(options)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "live_thread.json").write_text(json.dumps(report, indent=2))
    print(markdown(report))
    ok = report["reached_gunicorn_pct"] < 5 and all(
        d["last_tab_s"] is not None and d["last_tab_s"] <= 10 for d in report["approvals"]
    )
    print("targets met" if ok else "TARGETS MISSED: under 5 % of polls, every tab within 10 s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
