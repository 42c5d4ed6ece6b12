"""
Settings for Fitness, read from the environment.

Defaults suit a developer's laptop (SQLite, local-memory cache, tasks run inline).
Production sets DEBUG=0 and the variables listed in README.md; with DEBUG off a missing
SECRET_KEY stops start-up. Every variable read here is documented in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name, default):
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Fitness refuses to start without it: "
            "set SECRET_KEY to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public address of the site (scheme + host), used in emails, feeds and Akismet's `blog`.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Fitness")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "fitness",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fitness.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fitness.urls"
WSGI_APPLICATION = "fitness.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fitness.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 600),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "fitness.cache.RedisCache",  # Django's, one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "fitness"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks (django-tasks API) ------------------------------------------------------
# "immediate": run inline, right after the transaction commits (development, no extra process).
# "database": stored in the database and run by `manage.py db_worker` (production).

TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# --- Auth, i18n, static -----------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and runserver serve files straight from the finders; production serves collectstatic.
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ---------------------------------------------------------------------------------

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto, set SECURE_PROXY=1.
if env_bool("SECURE_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Email ------------------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Fitness <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: one line per event on stdout ----------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
    },
}

# --- Articles ---------------------------------------------------------------------------------

ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10)
# Whole article pages for plain anonymous readers (fitness/page_cache.py); 0 turns it off.
# Its invalidation lives in the cache, so it needs a cache every process shares: on by default
# with Redis (and under DEBUG, one process), off on a production machine without Redis.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 3600 if REDIS_URL or DEBUG else 0)

# --- Comments ---------------------------------------------------------------------------------
# Reading and writing (issue: reader comments).
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 5)
COMMENTS_THREADS_PER_PAGE = env_int("COMMENTS_THREADS_PER_PAGE", 50)
# Close discussions automatically this many days after publication (0 = never).
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 5000)
COMMENTS_NAME_MAX_LENGTH = 100

# --- Moderation (issue: moderation in the Django admin) ---------------------------------------
# Email moderators when a comment is held: "each" comment, a "digest"
# (`manage.py send_moderation_digest`, run by the scheduler), or "off".
COMMENTS_NOTIFY_MODERATORS = env_str("COMMENTS_NOTIFY_MODERATORS", "each")
if COMMENTS_NOTIFY_MODERATORS not in {"each", "digest", "off"}:
    raise ImproperlyConfigured(
        "COMMENTS_NOTIFY_MODERATORS must be each, digest or off, "
        f"not {COMMENTS_NOTIFY_MODERATORS!r}."
    )
# Email an article's author when a comment on it is published.
COMMENTS_NOTIFY_AUTHOR = env_bool("COMMENTS_NOTIFY_AUTHOR", default=True)
# Who gets moderation emails; empty: members of "Moderators" and superusers with an email.
COMMENTS_MODERATORS_EMAILS = env_list("COMMENTS_MODERATORS_EMAILS")
# Spam is deleted after this many days (`manage.py purge_spam`); blatant spam sooner.
COMMENTS_SPAM_RETENTION_DAYS = env_int("COMMENTS_SPAM_RETENTION_DAYS", 15)
COMMENTS_BLATANT_RETENTION_DAYS = env_int("COMMENTS_BLATANT_RETENTION_DAYS", 1)
# The pending-comment count in the site header and the admin index, for staff (moderation).
TEMPLATES[0]["OPTIONS"]["context_processors"].append("comments.context_processors.moderation")

# --- Screening and Akismet (issue: spam screening) --------------------------------------------
# No key: the site works and comments are screened by the local rules only (the admin warns).
AKISMET_API_KEY = env_str("AKISMET_API_KEY")
# Akismet's `blog` value: the site's public address.
AKISMET_SITE_URL = env_str("AKISMET_SITE_URL", SITE_URL).rstrip("/")
# Where the calls go: Akismet, an Akismet-compatible service, or `make emulator`
# (http://127.0.0.1:8765).
AKISMET_API_URL = env_str("AKISMET_API_URL", "https://rest.akismet.com").rstrip("/")
AKISMET_TIMEOUT = env_float("AKISMET_TIMEOUT", 2.0)
# Sends is_test=1 so that Akismet does not learn from development traffic.
AKISMET_IS_TEST = env_bool("AKISMET_IS_TEST", default=DEBUG)
# When Akismet fails, recheck after these delays (seconds, comma-separated); the last one
# repeats until AKISMET_RECHECK_GIVE_UP_DAYS, then the comment is left held for a human.
AKISMET_RECHECK_SCHEDULE = [
    int(seconds)
    for seconds in env_list("AKISMET_RECHECK_SCHEDULE", ["60", "300", "1200", "3600", "21600"])
]
AKISMET_RECHECK_GIVE_UP_DAYS = env_int("AKISMET_RECHECK_GIVE_UP_DAYS", 15)
# Faster than this after the form was shown: a bot (spam). Older than this: send again.
COMMENTS_MIN_SUBMIT_SECONDS = env_float("COMMENTS_MIN_SUBMIT_SECONDS", 3)
COMMENTS_FORM_MAX_AGE = env_int("COMMENTS_FORM_MAX_AGE", 7200)
# The same IP or email posting again within this many seconds is refused (counter in CACHES).
COMMENTS_FLOOD_SECONDS = env_int("COMMENTS_FLOOD_SECONDS", 15)
COMMENTS_DUPLICATE_WINDOW_HOURS = env_int("COMMENTS_DUPLICATE_WINDOW_HOURS", 24)
# More links than this in a comment holds it for a moderator.
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
# Hold a commenter's first comment until one of theirs has been approved (as WordPress does).
COMMENTS_HOLD_FIRST_TIME = env_bool("COMMENTS_HOLD_FIRST_TIME", default=True)

# --- Privacy (issue: privacy) -----------------------------------------------------------------
# A comment's IP address, user agent and referrer (and the same values in the stored Akismet
# exchange) are cleared this many days after it was posted (`manage.py scrub_personal_data`,
# run daily by the scheduler). The privacy page shows this figure. Keep it above
# AKISMET_RECHECK_GIVE_UP_DAYS: a recheck needs the IP.
COMMENTS_PERSONAL_DATA_DAYS = env_int("COMMENTS_PERSONAL_DATA_DAYS", 60)
if COMMENTS_PERSONAL_DATA_DAYS < 1:
    raise ImproperlyConfigured(
        f"COMMENTS_PERSONAL_DATA_DAYS must be at least 1, not {COMMENTS_PERSONAL_DATA_DAYS}."
    )
# Where readers write to get their data or have it erased (shown on the privacy page).
# Empty: the address of DEFAULT_FROM_EMAIL.
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL")

# --- Production (issue: production readiness) -------------------------------------------------
# gunicorn.conf.py, /healthz, the security headers and the scheduler; see docs/deploying.md.

# The load balancer probes /healthz over plain HTTP; it is never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS preload is a commitment that takes months to undo: opt in with SECURE_HSTS_PRELOAD=1.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (fitness.middleware): no inline script or style, ever. Extra image
# sources (space- or comma-separated, e.g. "https://images.example.com") for article images
# hosted elsewhere. Comment avatars are drawn here from initials: readers' email addresses (or
# their hashes, as Gravatar would need) never leave the site.
CSP_IMG_SRC = env_str("CSP_IMG_SRC").replace(",", " ").split()
CSP_REPORT_URI = env_str("CSP_REPORT_URI")
# Send the policy as Content-Security-Policy-Report-Only (to try a change without breaking).
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", default=False)

if REDIS_URL:
    # A Redis that stops answering must fail a request fast, not hang a worker.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 1, "socket_timeout": 1}
    )
    # Sessions read from Redis, written through to the database (they survive a Redis restart).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The rendered comment thread of an article page is cached this many seconds (0: not cached);
# any change readers can see changes the key, so this is only an upper bound on memory use.
COMMENTS_THREAD_CACHE_SECONDS = env_int("COMMENTS_THREAD_CACHE_SECONDS", 24 * 3600)

# One log event, one line (tracebacks included, newlines escaped as \n).
LOGGING["formatters"]["line"]["class"] = "fitness.log.OneLineFormatter"

# /_bench/minimal/: the framework's floor for `make bench`; never on in production.
BENCH_MINIMAL_VIEW = env_bool("BENCH_MINIMAL_VIEW", default=False)

# --- Comments: reader form and thread (issue: reader comments) --------------------------------
# Behind a reverse proxy, the META key of the header holding the client address, for example
# "HTTP_X_FORWARDED_FOR" (its right-most address is used). Empty: REMOTE_ADDR only.
COMMENTS_TRUSTED_PROXY_HEADER = env_str("COMMENTS_TRUSTED_PROXY_HEADER")

# --- Tasks a dead worker left running (issue 15: nothing lost) --------------------------------
# A db_worker killed mid-task leaves its row RUNNING for ever. The scheduler's `stale-tasks` job
# (fitness/jobs.py) puts a row back in the queue once it has been RUNNING this many seconds
# (keep it well above the longest task: Akismet's timeout, EMAIL_TIMEOUT), and marks it failed,
# with an error line in the log, once it has been started this many times.
TASKS_RUNNING_TIMEOUT = env_int("TASKS_RUNNING_TIMEOUT", 600)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 3)
