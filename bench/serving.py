"""
What the benchmark and the scale-out proof share: a throw-away database, gunicorn instances
started with the repository's gunicorn.conf.py, and a reader's HTTP client that fills in the
real comment form (signed timestamp, honeypot; a logged-in form's CSRF token) as a browser does;
and nginx in front of them with the deploy example's blocks. `Site` is the production topology
(pages, the posting pool, nginx) in one object: the benches start it from here.
"""

import contextlib
import math
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import bootstrap
import httpx

ROOT = bootstrap.ROOT
GUNICORN = Path(sys.executable).with_name("gunicorn")
RESULTS = ROOT / "bench" / "results"


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


# --- gunicorn ----------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


# --- Other processes: the Akismet emulator, redis-server ---------------------------------

# The one reference to the emulator's module: it is started as `python -m tools.akismet_emulator`.
EMULATOR_MODULE = "tools.akismet_emulator"


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


# --- The processes -----------------------------------------------------------------------------


class Process:
    """A manage.py command (or any program) in the background, its output in
    bench/results/<name>.log."""

    def __init__(self, name, argv, env):
        self.name, self.argv, self.env = name, argv, env
        self.log_path = RESULTS / f"{name}.log"
        RESULTS.mkdir(parents=True, exist_ok=True)  # git-ignored: absent from a fresh clone
        self.log_path.write_text("")
        self.process = None
        self.kills = 0

    def start(self):
        log = open(self.log_path, "a")  # noqa: SIM115 (the child keeps it)
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        return self

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_text(self):
        return self.log_path.read_text(errors="replace")


class Redis(Process):
    def __init__(self, port):
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(RESULTS)]  # fmt: skip
        super().__init__(f"chaos-redis-{port}", argv, dict(os.environ))
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self, timeout=10):
        import redis

        super().start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=0.5).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server on port {self.port} did not start")


class Emulator(Process):
    """The Akismet emulator in a process of its own (as Akismet is), driven over HTTP."""

    def __init__(self, port, *, name="akismet"):
        argv = [sys.executable, "-m", EMULATOR_MODULE, "--port", str(port), "--quiet"]
        super().__init__(name, argv, dict(os.environ))
        self.url = f"http://127.0.0.1:{port}"

    def start(self, timeout=10):
        super().start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/_emulator/requests?path=none", timeout=1).is_success:
                    return self
            time.sleep(0.1)
        raise RuntimeError("the Akismet emulator did not start")

    def misbehave(self, mode, **options):
        httpx.post(f"{self.url}/_emulator/misbehave", json={"mode": mode, **options}, timeout=5)

    def reset(self):
        httpx.post(f"{self.url}/_emulator/reset", timeout=5)


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


# --- nginx in front ----------------------------------------------------------------------------

NGINX = "/usr/sbin/nginx"
NGINX_EXAMPLE = ROOT / "deploy" / "nginx.conf.example"


def _example_parts():
    """From deploy/nginx.conf.example: its http-level cache lines (proxy_cache_path, the map of
    personal cookies) and the body of the HTTPS server's `location / { ... }`: so the benchmark
    measures the configuration the guide deploys."""
    text = NGINX_EXAMPLE.read_text()
    cache_path = re.search(r"^proxy_cache_path [^;]*;", text, re.M | re.S).group(0)
    personal = re.search(r"^map \$http_cookie \$fitness_personal \{.*?^\}", text, re.M | re.S)
    proxy = text[text.rindex("    location / {") :]
    proxy = proxy[: proxy.index("\n    }\n")].split("{", 1)[1]
    return cache_path, personal.group(0), proxy


def _example_location(opening):
    """The example's block that starts with `opening` (e.g. "location ^~ /comments/live/")."""
    text = NGINX_EXAMPLE.read_text()
    start = text.index(f"    {opening} {{")
    return text[start : text.index("\n    }\n", start) + len("\n    }")]


def _example_real_ip():
    """The HTTPS server's lines that take the reader's address from X-Forwarded-For when the
    request comes from 127.0.0.1 (the benches play many readers from one machine that way)."""
    text = NGINX_EXAMPLE.read_text()
    return "\n".join(
        line for line in text.splitlines() if line.strip().startswith(("real_ip_", "set_real_ip_"))
    )


# The example's location of what waits on Akismet, routed to `upstream fitness_posting`.
POSTING_LOCATION = "location ~ ^/comments/(post/[0-9]+|[0-9]+/edit)/$"
DEPLOYING_GUIDE = ROOT / "docs" / "deploying.md"


def posting_pool_flags():
    """The posting pool's gunicorn flags as the guide's fitness-posting unit gives them
    (--workers, --threads, --env), without its --bind: the benches run what the guide deploys."""
    found = re.search(
        r"ExecStart=\S*gunicorn -c gunicorn\.conf\.py (--bind \S+ .*?) fitness\.wsgi",
        DEPLOYING_GUIDE.read_text(),
    )
    flags = shlex.split(found.group(1))
    return flags[2:]  # "--bind", "127.0.0.1:8001" dropped: each bench picks a free port


class Nginx:
    """Debian's nginx on 127.0.0.1:<port> in front of `upstream`, with the example's cache, its
    posting location (to `posting_url`, the posting pool; `upstream` when None) and its reading
    of the reader's address, and `/static-copy/page.html` serving `static_bytes` from disk (the
    physical limit)."""

    def __init__(self, upstream_url, *, posting_url=None, static_bytes=b""):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstream = upstream_url.split("//", 1)[1]
        self.posting = (posting_url or upstream_url).split("//", 1)[1]
        self.static_bytes = static_bytes
        self.dir = Path(f"/tmp/fitness-bench-nginx-{self.port}")
        self.process = None

    def start(self):
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)
        (self.dir / "static-copy").mkdir(parents=True)
        (self.dir / "static-copy" / "page.html").write_bytes(self.static_bytes)
        self.dir.chmod(0o777)
        cache_path, personal, proxy = _example_parts()
        cache_path = cache_path.replace("/var/lib/nginx/fitness-pages", str(self.dir / "pages"))
        user = "user root root;" if os.getuid() == 0 else ""
        posting_servers = f"server {self.posting};"
        if self.posting != self.upstream:
            posting_servers += f" server {self.upstream} backup;"
        (self.dir / "nginx.conf").write_text(f"""
{user}
worker_processes auto;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    {cache_path}
    {personal}
    upstream fitness {{ server {self.upstream}; keepalive 16; }}
    upstream fitness_posting {{ {posting_servers} keepalive 16; }}
    server {{
        listen 127.0.0.1:{self.port};
{_example_real_ip()}
        location /static-copy/ {{ root {self.dir}; }}
{_example_location("location ^~ /comments/live/")}
{_example_location(POSTING_LOCATION)}
        location / {{ {proxy} }}
    }}
}}
""")
        # The example serves HTTPS on 443, where $host is the whole origin's host; here nginx
        # listens on a port of its own, which the Origin and Referer a browser sends name too.
        config = (self.dir / "nginx.conf").read_text()
        config = config.replace("proxy_set_header Host $host;", "proxy_set_header Host $http_host;")
        (self.dir / "nginx.conf").write_text(config)
        self.process = subprocess.Popen(
            [NGINX, "-c", str(self.dir / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for _ in range(50):
            try:
                httpx.get(f"{self.url}/static-copy/page.html", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start; see {self.dir}/error.log")

    def stop(self):
        import shutil

        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


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
