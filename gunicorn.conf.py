"""
gunicorn settings for Fitness: `gunicorn -c gunicorn.conf.py fitness.wsgi`.

Everything comes from the environment so that one file serves every machine. Every variable
read here (README.md lists them too; tests/fitness/test_settings.py checks both lists):

    HOST (127.0.0.1), PORT (8000)     where to listen; behind nginx keep 127.0.0.1
    WEB_CONCURRENCY (2 x CPUs + 1)    worker processes
    GUNICORN_THREADS (8)              threads per worker (gthread; 1: sync workers)
    GUNICORN_TIMEOUT (30)             seconds before a silent worker is killed
    GUNICORN_GRACEFUL_TIMEOUT (30)    seconds a worker has to finish on restart or stop
    GUNICORN_KEEPALIVE (5)            seconds an idle connection is kept open (gthread only)
    GUNICORN_MAX_REQUESTS (2000)      recycle a worker after this many requests (0: never)
    GUNICORN_MAX_REQUESTS_JITTER (max_requests / 10)   so workers do not recycle together
    LOG_LEVEL (INFO)                  gunicorn's error log; also Django's logging
    FORWARDED_ALLOW_IPS (127.0.0.1,::1)  proxies whose X-Forwarded-* headers are trusted
    DEBUG (0), DJANGO_SETTINGS_MODULE (fitness.settings)   defaults set before Django loads

Logs (access and errors) go to stdout, one line per request or event.
"""

import gc
import multiprocessing
import os

# A forgotten DEBUG must never mean a production server with DEBUG on: settings.py defaults
# DEBUG to on for laptops, so the production entry point defaults it to off before Django loads.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitness.settings")


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# Threads, so that a post waiting on Akismet (up to AKISMET_TIMEOUT) holds one thread, not a
# whole worker: with sync workers, a slow Akismet queued every request behind the posts (a 5 s
# Akismet with a 2 s timeout: the slowest post took 7.4 s, page reads waited seconds). With 8
# threads a worker absorbs 8 such posts and keeps serving reads (bench/chaos.py). Behind nginx
# the posts go to a second instance of this file, the posting pool (docs/deploying.md: its flags
# --bind, --workers, --threads and --env win over the environment), so the page workers never
# wait on Akismet. Each thread keeps its own database connection: WEB_CONCURRENCY x
# GUNICORN_THREADS per machine, plus the posting pool's.
threads = _int("GUNICORN_THREADS", 8)
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is stuck; Akismet's whole call is bounded by 2 s.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Only the gthread worker keeps a connection open between requests: the sync worker answers
# every request with `Connection: close`, so nginx's upstream keepalive is unused with it. With
# gthread, keep this above nginx's upstream `keepalive_timeout` (4s in
# deploy/nginx.conf.example), so that nginx, not gunicorn, closes an idle connection and never
# sends a request down one gunicorn has just closed.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then (bounded memory growth); jitter so they do not restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max(max_requests // 10, 0))

# Each worker imports the application itself, so `kill -HUP <master>` after an upgrade
# starts workers on the new code without dropping a request.
preload_app = False

# Logs: stdout, one line each. The access line carries the time taken in microseconds (%(D)s).
# The request line is method, path and protocol, never the query string (%(r)s and %(q)s would
# log it): a moderator's admin search `?q=someone@example.org` must not reach a log (the
# privacy page's promise; tests/fitness/core/test_log.py checks a real gunicorn's output).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(D)sus "%(a)s"'
capture_output = False

# Requests arrive from nginx on the same machine; trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_worker_init(worker):
    """Once the worker has imported Django and the project: every object alive now (modules,
    templates, URL patterns: hundreds of thousands) leaves the garbage collector's view. They
    live as long as the worker, yet each full collection walked them all again: at 5,000
    comments a page made a full collection every ~12 requests, 70 ms each (bench/README.md,
    issue 29). Young collections are untouched; cycles made by requests are still freed."""
    gc.collect()
    gc.freeze()
