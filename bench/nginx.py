"""
nginx in front of the benches' gunicorn, configured from deploy/nginx.conf.example and
docs/deploying.md themselves (the cache, the personal-cookie map, the posting location, the
reading of the reader's address; the posting pool's flags): the benches measure what the guide
deploys. `bench/serving.py`'s `Site` puts it in front of the page workers and the posting pool.
"""

import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import bootstrap
import httpx
from processes import free_port

ROOT = bootstrap.ROOT

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
    upstream fitness_posting {{ {self._posting_servers()} keepalive 16; }}
    server {{
        listen 127.0.0.1:{self.port};
{_example_real_ip()}
        location /static-copy/ {{ root {self.dir}; }}
{_example_location("location ^~ /comments/live/")}
{_example_location("location ^~ /comments/mine/")}
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

    def _posting_servers(self):
        """The example's `upstream fitness_posting` servers (their parameters as they are), on
        this bench's addresses; without the backup when the posts go to `upstream` anyway."""
        text = NGINX_EXAMPLE.read_text()
        block = re.search(r"upstream fitness_posting \{(.*?)\}", text, re.S).group(1)
        lines = [line.strip() for line in block.splitlines()]
        servers = [line for line in lines if line.startswith("server ")]
        if self.posting == self.upstream:
            servers = [line for line in servers if " backup" not in line]
        return (
            " ".join(servers)
            .replace("127.0.0.1:8001", self.posting)
            .replace("127.0.0.1:8000", self.upstream)
        )

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
