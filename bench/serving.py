"""
What the benchmark and the scale-out proof share: a throw-away database, gunicorn instances
started with the repository's gunicorn.conf.py, a reader's HTTP client that fills in the real
comment form (signed timestamp, honeypot; a logged-in form's CSRF token) as a browser does, and
what a report says (percentiles, the load, the commit). `Site` is the production topology
(pages, the posting pool, nginx in front with the deploy example's blocks: bench/nginx.py) in
one object: the benches start it from here. The other processes a bench starts (redis-server,
the Akismet emulator, a manage.py command) are bench/processes.py's.
"""

import math
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import bootstrap
import httpx
from nginx import Nginx, posting_pool_flags
from processes import RESULTS, free_port

ROOT = bootstrap.ROOT
GUNICORN = Path(sys.executable).with_name("gunicorn")


# --- Database and cache ------------------------------------------------------------------------


def postgres_url_for(base_url, name):
    """`base_url` (any database on the server) pointed at the database `name`."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_postgres_database(url):
    """Drop and create the database of `url` (connecting to the server's `postgres`)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"refusing to recreate a database named {name!r}")
    with psycopg.connect(postgres_url_for(url, "postgres"), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def fresh_database(name):
    """A new, empty database for this run: PostgreSQL when DATABASE_URL is set, else SQLite."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        url = postgres_url_for(base, name)
        recreate_postgres_database(url)
        return url
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.sqlite3"
    for leftover in RESULTS.glob(f"{name}.sqlite3*"):
        leftover.unlink()
    return f"sqlite:///{path}"


def server_env(database_url, *, redis_url="", **extra):
    """Production-like settings for the gunicorn instances and for this process's Django."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE=bootstrap.SETTINGS_MODULE,
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-" + "s" * 50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1",
        DATABASE_URL=database_url,
        # Plain HTTP on loopback: no redirect to HTTPS, cookies without Secure.
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        TASKS_BACKEND="immediate",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
        # A prefix of our own: never read or clear anybody else's keys.
        env["CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(4)}"
    env.update({key: str(value) for key, value in extra.items()})
    return env


def site_env(database_url, *, akismet_url, redis_url="", **extra):
    """`server_env` with what the benches that post share: Akismet (the emulator at
    `akismet_url`), readers' addresses from X-Forwarded-For (as behind nginx), no form-timing
    hold and no emails; `extra` over them."""
    settings = {
        "AKISMET_API_KEY": "bench-key",
        "AKISMET_API_URL": akismet_url,
        "AKISMET_IS_TEST": "1",
        "COMMENTS_TRUSTED_PROXY_HEADER": "HTTP_X_FORWARDED_FOR",
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
        "COMMENTS_NOTIFY_MODERATORS": "off",
        "COMMENTS_NOTIFY_AUTHOR": "0",
        "GUNICORN_MAX_REQUESTS": "0",  # no recycling in the middle of a measurement
    }
    return server_env(database_url, redis_url=redis_url, **{**settings, **extra})


def setup_django(env):
    """Configure this process with the same settings as the servers."""
    bootstrap.setup(**env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def bench_django(database_name, *, akismet_url, **extra):
    """This process set up on a fresh database (BENCH_DATABASE_NAME, else `database_name`),
    with `site_env` (Redis from REDIS_URL when set) and `extra`; the env, for the servers."""
    env = site_env(
        fresh_database(os.environ.get("BENCH_DATABASE_NAME", database_name)),
        akismet_url=akismet_url,
        redis_url=os.environ.get("REDIS_URL", ""),
        **extra,
    )
    setup_django(env)
    return env


# --- A discussion to read --------------------------------------------------------------------


def create_article(size):
    """An article with `size` approved comments: 60 % top-level, 30 % replies, 10 % deeper."""
    from comments.models import Comment
    from comments.services.counts import refresh_article_counts
    from comments.threads.rendering import render_body
    from fitness.articles.models import Article

    article = Article.objects.create(
        title=f"Benchmark with {size} comments",
        slug=f"bench-{size}",
        body="# Recovery\n\nSleep, water, and a slow warm-up.\n",
        status=Article.Status.PUBLISHED,
    )
    text = (
        "I tried the routine for two weeks: warm-up first, then the sets, and the twitching "
        "after my evening run has mostly stopped. Drinking more water helped as well."
    )
    html = render_body(text)

    def make(count, parents):
        rows = []
        for index in range(count):
            parent = parents[index % len(parents)] if parents else None
            rows.append(
                Comment(
                    article=article,
                    parent=parent,
                    thread_id=parent.thread_id if parent else None,
                    depth=parent.depth + 1 if parent else 0,
                    author_name=f"Reader {index}",
                    author_email=f"reader{index}@example.com",
                    body=text,
                    body_html=html,
                    status=Comment.Status.APPROVED,
                )
            )
        created = Comment.objects.bulk_create(rows)
        for comment in created:
            comment.place_in_thread()
        Comment.objects.bulk_update(created, ["thread", "depth", "path"], batch_size=500)
        return created

    top = make(size * 6 // 10, None)
    replies = make(size * 3 // 10, top)
    make(size - len(top) - len(replies), replies)
    refresh_article_counts([article.pk])
    article.refresh_from_db()
    return article


# --- gunicorn ----------------------------------------------------------------------------------


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py fitness.wsgi` on 127.0.0.1:<port>."""

    def __init__(self, env, *, workers=2, port=None, log_path=None, args=()):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.env["WEB_CONCURRENCY"] = str(workers)
        self.args = list(args)  # command-line flags, which win over the environment
        self.log_path = log_path or RESULTS / f"gunicorn-{self.port}.log"
        self.process = None

    def start(self, timeout=30):
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", *self.args, "fitness.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on port {self.port} did not become healthy")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_memory_kib(self):
        """{pid: VmHWM in KiB} of each worker: its peak resident memory."""
        peaks = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1])
        return peaks

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- What a report says --------------------------------------------------------------------


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def load():
    """The machine's load averages, for a report: other work may share this machine."""
    one, five, _ = Path("/proc/loadavg").read_text().split()[:3]
    return f"{one} (1 min), {five} (5 min) on {os.cpu_count()} CPUs"


def commit():
    """The checkout's commit, for a report ("" where git cannot say)."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
    except OSError:
        return ""


# --- A reader's client -------------------------------------------------------------------------


class CommentFormReader(HTMLParser):
    """The fields of <form id="commentform"> as a browser would send them, plus its action."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.action = ""
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "commentform":
            self.inside, self.action = True, attrs.get("action", "")
        elif (
            self.inside and tag == "input" and attrs.get("name") and attrs.get("type") != "checkbox"
        ):
            # Checkboxes stay unticked (a browser sends only ticked ones).
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


COMMENT_ID = re.compile(r"#comment-(\d+)$")


def post_comment(client, article_url, *, name, email, body, parent=None, ip=None):
    """GET the article page, fill in its form, POST it. Returns (response, comment id or None).

    `ip` is sent as X-Forwarded-For (the servers trust it, as behind nginx), so that many
    readers can be played from one machine.
    """
    headers = {"X-Forwarded-For": ip} if ip else {}
    page = client.get(article_url, headers=headers)
    page.raise_for_status()
    form = CommentFormReader()
    form.feed(page.text)
    if not form.action:
        raise RuntimeError(f"no comment form on {article_url}")
    data = {**form.fields, "name": name, "email": email, "comment": body, "website": ""}
    if parent:
        data["parent"] = str(parent)
    # A browser's Referer is the page's absolute address (fitness/core/csrf.py compares its origin).
    response = client.post(form.action, data=data, headers={**headers, "Referer": str(page.url)})
    match = COMMENT_ID.search(response.headers.get("location", ""))
    return response, int(match.group(1)) if match else None


# --- The production topology -------------------------------------------------------------------


class Site:
    """What docs/deploying.md runs on one machine: gunicorn for pages (`web`), the posting pool
    (`posting`, the guide's fitness-posting flags) and nginx in front with the example's blocks
    (`url`): pages from its cache, posts to the posting pool."""

    def __init__(self, env, *, workers=2, static_bytes=b"", posting_pool=True):
        self.web = Gunicorn(env, workers=workers)
        # Without the posting pool (to compare): nginx sends posts to the page workers.
        self.posting = Gunicorn(env, args=posting_pool_flags()) if posting_pool else None
        posting_url = self.posting.url if self.posting else None
        self.nginx = Nginx(self.web.url, posting_url=posting_url, static_bytes=static_bytes)
        self.url = self.nginx.url

    @property
    def gunicorns(self):
        return [self.web, self.posting] if self.posting else [self.web]

    def start(self):
        try:
            for instance in self.gunicorns:
                instance.start()
            self.nginx.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        self.nginx.stop()
        for instance in self.gunicorns:
            instance.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
