"""
Settings for Fitness, read from the environment. README.md lists every variable read here.

One module for every process (web, worker, scheduler, manage.py), in sections that each set
their own names once: no section changes an earlier one. DEBUG is off unless asked for (`make`
asks with DEBUG=1, the test run in tests/settings.py); with DEBUG off a missing SECRET_KEY stops
start-up. What differs between a laptop and a server follows from DEBUG, where each setting is
made. The comments app's defaults live in comments/conf.py: its section leaves each name None
unless the environment gives it a value. The readers of the environment are in fitness/env.py;
what turns their values into the backends' settings (database, caches, tasks, storages) is in
fitness/backends.py.
"""

from pathlib import Path

from fitness.backends import caches, databases, s3_storage, storages, tasks
from fitness.core.log import logging_config
from fitness.env import (
    env_banned_action,
    env_bool,
    env_float,
    env_if_set,
    env_int,
    env_ipv6_prefix,
    env_list,
    env_moderator_notices,
    env_personal_data_days,
    env_seconds_list,
    env_secret_key,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Debug mode and the signing key -----------------------------------------------------------

# Off unless asked for: a web server, worker or scheduler started without DEBUG runs as
# production does, and so needs its own SECRET_KEY (reply-email stop links are signed with it).
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_secret_key("SECRET_KEY", debug=DEBUG)

# --- Hosts and the site's public address ------------------------------------------------------

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A cross-site post refused is a 403 page showing the reader's text back (fitness/core/errors.py).
CSRF_FAILURE_VIEW = "fitness.core.errors.csrf_failure"

# Scheme + host, used in emails, feeds and Akismet's `blog`. Unset, it is where this machine
# serves: HOST and PORT (as `make run PORT=8101` and gunicorn.conf.py read them), so moderator
# emails on a laptop link to the port the server really listens on. Production sets it.
_HOST = env_str("HOST", "127.0.0.1")
_PORT = env_int("PORT", 8000)
_SERVED_AT = f"http://{f'[{_HOST}]' if ':' in _HOST else _HOST}:{_PORT}"
SITE_URL = env_url("SITE_URL", _SERVED_AT)
# The site's name, tagline and description: the defaults of the admin's Site settings, which
# override them without a restart (fitness/articles/site_settings.py).
SITE_NAME = env_str("SITE_NAME", "Fitness")
SITE_TAGLINE = env_str("SITE_TAGLINE")
SITE_DESCRIPTION = env_str("SITE_DESCRIPTION")

# --- Applications, middleware, templates ------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "solo",
    "django_tasks",
    "django_tasks_db",
    "fitness.core",
    "fitness.articles",
    "fitness.accounts",
    "comments",
    "wordpress",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fitness.core.security_headers.SecurityHeadersMiddleware",
    # A control character in the path (404) or a query parameter (400) stops here, before any
    # lookup: PostgreSQL cannot compare a NUL (fitness/core/control_characters.py).
    "fitness.core.control_characters.ControlCharactersMiddleware",
    # An empty ?_to_field= would send Django's admin looking for a field named "": a 500.
    "fitness.core.admin_query.EmptyToFieldMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control and ETag on every page, shared or private, and the embedded page store:
    # outside the session, CSRF and messages middleware, so it sees the cookies they set.
    "fitness.core.http_cache.SharedCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Anonymous posts: Fetch Metadata / Origin; logged-in users: Django's token (docs/csrf.md).
    "fitness.core.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Addresses of the old site (a WordPress import) answer 301; only /?p= and 404s look.
    "fitness.articles.redirects.OldAddressMiddleware",
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
                "fitness.articles.context_processors.site",
                # The admin asks a writer whose articles show their username for a name.
                "fitness.accounts.context_processors.accounts",
                # The pending-comment count in the site header and the admin index, for staff.
                "comments.web.context_processors.moderation",
            ],
        },
    },
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Database ---------------------------------------------------------------------------------

DATABASES = databases(
    env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 600),
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
# Redis when REDIS_URL is set, else each process's memory; and each process's page store.
CACHES = caches(REDIS_URL, key_prefix=env_str("CACHE_KEY_PREFIX", "fitness"))
# With Redis, sessions are read from it and written through to the database (they survive a
# Redis restart): Django's cached_db, except that a Redis outage is not a 500
# (fitness/core/sessions.py). Without, Django's default: the database.
SESSION_ENGINE = "fitness.core.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
# After Redis failed to answer, a process does not ask it again for this many seconds (its
# cache calls fail at once; every caller copes): a paused Redis costs one socket timeout every
# few seconds, not one per cache call (fitness/core/cache.py).
CACHE_FAIL_FAST_SECONDS = env_float("CACHE_FAIL_FAST_SECONDS", 2)

# --- Background tasks (django-tasks API) ------------------------------------------------------
# "immediate": run inline, right after the transaction commits (development, no extra process).
# "database": stored in the database and run by `manage.py db_worker` (production).

TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
TASKS = tasks(TASKS_BACKEND)  # another name stops start-up (fitness/backends.py)

# --- Auth, i18n, static files -----------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (fitness/accounts/): everyone with a login may reset their password by email, from
# the admin's login page; staff invite new and imported authors to choose theirs. A reset link
# works this many hours, an invitation's this many days; either works once.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600
ACCOUNTS_INVITATION_DAYS = env_int("ACCOUNTS_INVITATION_DAYS", 14)
# Reset requests, counted per address asked for and per network asking (an IPv4 address, an
# IPv6 /64) in a window: past either limit the form answers 429 and sends nothing.
ACCOUNTS_RESET_PER_ADDRESS = env_int("ACCOUNTS_RESET_PER_ADDRESS", 3)
ACCOUNTS_RESET_PER_NETWORK = env_int("ACCOUNTS_RESET_PER_NETWORK", 10)
ACCOUNTS_RESET_WINDOW_MINUTES = env_int("ACCOUNTS_RESET_WINDOW_MINUTES", 60)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Media: the images authors upload (fitness/articles/images.py)
# On this machine's disk by default (MEDIA_ROOT, served by Django under DEBUG and by nginx in
# production: deploy/nginx.conf.example). With several web machines they must share one store:
# set MEDIA_S3_BUCKET (and the other MEDIA_S3_* for a non-AWS, S3-compatible server) and every
# upload goes there; the CSP's img-src then allows that host by itself
# (fitness/core/security_headers.py).

MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Django itself answers /media/ (runserver, tests); in production nginx does, or the S3 host.
MEDIA_SERVE = env_bool("MEDIA_SERVE", default=DEBUG)
MEDIA_IMAGE_MAX_BYTES = int(env_float("MEDIA_IMAGE_MAX_MB", 10) * 1024 * 1024)
MEDIA_IMAGE_MAX_PIXELS = int(env_float("MEDIA_IMAGE_MAX_MEGAPIXELS", 40) * 1_000_000)
# An animation costs its frames times its canvas's pixels to decode and save again: a bound
# on that product keeps one upload from taking a worker's CPU and memory.
MEDIA_IMAGE_MAX_ANIMATION_PIXELS = int(
    env_float("MEDIA_IMAGE_MAX_ANIMATION_MEGAPIXELS", 100) * 1_000_000
)
# The widths of the resized copies (never wider than the original).
MEDIA_IMAGE_WIDTHS = [
    int(width) for width in env_list("MEDIA_IMAGE_WIDTHS", [480, 800, 1200, 1600])
]

MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
_MEDIA_S3_ENDPOINT = env_url("MEDIA_S3_ENDPOINT_URL")
STORAGES = storages(
    s3_storage(
        MEDIA_S3_BUCKET,
        endpoint_url=_MEDIA_S3_ENDPOINT,
        region=env_str("MEDIA_S3_REGION"),
        access_key=env_str("MEDIA_S3_ACCESS_KEY_ID"),
        secret_key=env_str("MEDIA_S3_SECRET_ACCESS_KEY"),
        custom_domain=env_str("MEDIA_S3_CUSTOM_DOMAIN"),
        acl=env_str("MEDIA_S3_ACL"),
        addressing_style=env_str(
            "MEDIA_S3_ADDRESSING_STYLE", "path" if _MEDIA_S3_ENDPOINT else "virtual"
        ),
    )
    if MEDIA_S3_BUCKET
    else None,  # on this machine's disk
    debug=DEBUG,
)
# Tests and runserver serve files straight from the finders; production serves collectstatic.
WHITENOISE_USE_FINDERS = DEBUG

# --- Security ---------------------------------------------------------------------------------
# gunicorn.conf.py, /healthz and the security headers: see docs/deploying.md.

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto, set SECURE_PROXY=1.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY") else None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer probes /healthz over plain HTTP; it is never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# HSTS preload is a commitment that takes months to undo: opt in with SECURE_HSTS_PRELOAD=1.
# security.W003 looks for Django's CsrfViewMiddleware by its exact path; ours is a subclass
# (fitness/core/csrf.py), and fitness.E001 checks that it is installed instead.
SILENCED_SYSTEM_CHECKS = ["security.W021", "security.W003"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (fitness.core.security_headers): no inline script or style, ever.
# Extra image sources (space- or comma-separated, e.g. "https://images.example.com") for article
# images hosted elsewhere. Comment avatars are drawn here from initials: readers' email
# addresses (or their hashes, as Gravatar would need) never leave the site.
CSP_IMG_SRC = env_str("CSP_IMG_SRC").replace(",", " ").split()
CSP_REPORT_URI = env_str("CSP_REPORT_URI")
# Send the policy as Content-Security-Policy-Report-Only (to try a change without breaking).
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", default=False)

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

# --- Logging: one event, one line on stdout, no email address (fitness/core/log.py) ----------
# LOG_LEVEL governs every logger, Django's included; SQL, template debugging and httpx stay at
# WARNING.

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = logging_config(LOG_LEVEL)

# --- Articles (the fitness app) ---------------------------------------------------------------

ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10)
# The article feeds (the main one, each category's and tag's) carry each article's whole text
# as the page shows it, beside the excerpt, as WordPress's "For each post in a feed, include:
# Full text" does; off: the excerpt only.
FEEDS_FULL_TEXT = env_bool("FEEDS_FULL_TEXT", default=True)
# The header's categories and the footer's pages (fitness/articles/navigation.py) are cached
# this long at most; a change to what they show forgets them at once.
MENU_CACHE_SECONDS = env_int("MENU_CACHE_SECONDS", 600)
# The search (fitness/articles/search.py): the words of one query beyond this many are left out
# (the page says so); one query's work is cut off after this many milliseconds; each network
# may run this many searches a minute that are not already cached; a query's results are
# kept this many seconds (any article change starts afresh).
SEARCH_MAX_WORDS = env_int("SEARCH_MAX_WORDS", 12)
SEARCH_TIMEOUT_MS = env_int("SEARCH_TIMEOUT_MS", 2000)
SEARCH_RATE_PER_MINUTE = env_int("SEARCH_RATE_PER_MINUTE", 30)
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 300)
# HTTP caching (fitness/core/http_cache.py, docs/caching.md). A page anonymous readers share may be
# kept by a shared cache (nginx, a CDN) for HTTP_CACHE_SECONDS (s-maxage): an approval reaches
# every reader within that. While one request renders a newer copy, the cache may hand out the
# old one for up to HTTP_CACHE_STALE_SECONDS more (stale-while-revalidate).
HTTP_CACHE_SECONDS = env_int("HTTP_CACHE_SECONDS", 1)
HTTP_CACHE_STALE_SECONDS = env_int("HTTP_CACHE_STALE_SECONDS", 1)
# Without nginx: each process keeps a shareable page this many seconds (0: off), the same bound.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", HTTP_CACHE_SECONDS)
# Article pages kept per process without their comment section (fitness/core/page_shells.py).
PAGE_SHELLS_KEPT = env_int("PAGE_SHELLS_KEPT", 256)
# An article closes its discussion this many days after publication (0 = never); the admin's
# Site settings › Discussion overrides it (as it does the COMMENTS_HOLD_FIRST_TIME,
# COMMENTS_NOTIFY_MODERATORS and COMMENTS_REPLY_EMAILS below).
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)
# A process keeps up to this many MB of freed memory for its next request instead of handing it
# back after every big page (glibc's mallopt; fitness/core/memory.py); 0: glibc's defaults.
MEMORY_KEEP_FREED_MB = env_int("MEMORY_KEEP_FREED_MB", 256)
# /_bench/minimal/: the framework's floor for `make bench`; never on in production.
BENCH_MINIMAL_VIEW = env_bool("BENCH_MINIMAL_VIEW", default=False)

# --- The comments app -------------------------------------------------------------------------
# Its defaults, and what each setting means, are in comments/conf.py; README.md lists them too.
# A name is None unless the environment gives it a value, and comments.conf reads None as the
# app's default: every default is written once, there.

COMMENTS_MAX_DEPTH = env_if_set("COMMENTS_MAX_DEPTH", env_int)
COMMENTS_MAX_LENGTH = env_if_set("COMMENTS_MAX_LENGTH", env_int)
COMMENTS_THREADS_PER_PAGE = env_if_set("COMMENTS_THREADS_PER_PAGE", env_int)
COMMENTS_TRUSTED_PROXY_HEADER = env_if_set("COMMENTS_TRUSTED_PROXY_HEADER", env_str)
COMMENTS_THREAD_CACHE_SECONDS = env_if_set("COMMENTS_THREAD_CACHE_SECONDS", env_int)
COMMENTS_EDIT_MINUTES = env_if_set("COMMENTS_EDIT_MINUTES", env_int)
AKISMET_API_KEY = env_if_set("AKISMET_API_KEY", env_str)
AKISMET_SITE_URL = env_if_set("AKISMET_SITE_URL", env_url)
AKISMET_API_URL = env_if_set("AKISMET_API_URL", env_url)
AKISMET_TIMEOUT = env_if_set("AKISMET_TIMEOUT", env_float)
AKISMET_MAX_CONCURRENT = env_if_set("AKISMET_MAX_CONCURRENT", env_int)
AKISMET_IS_TEST = env_if_set("AKISMET_IS_TEST", env_bool)
AKISMET_RECHECK_SCHEDULE = env_if_set("AKISMET_RECHECK_SCHEDULE", env_seconds_list)
AKISMET_RECHECK_GIVE_UP_DAYS = env_if_set("AKISMET_RECHECK_GIVE_UP_DAYS", env_int)
COMMENTS_MIN_SUBMIT_SECONDS = env_if_set("COMMENTS_MIN_SUBMIT_SECONDS", env_float)
COMMENTS_FORM_MAX_AGE = env_if_set("COMMENTS_FORM_MAX_AGE", env_int)
COMMENTS_FLOOD_SECONDS = env_if_set("COMMENTS_FLOOD_SECONDS", env_int)
COMMENTS_FLOOD_IPV6_PREFIX = env_if_set("COMMENTS_FLOOD_IPV6_PREFIX", env_ipv6_prefix)
COMMENTS_FORM_TOKEN_USES = env_if_set("COMMENTS_FORM_TOKEN_USES", env_int)
COMMENTS_HELPFUL_PER_NETWORK = env_if_set("COMMENTS_HELPFUL_PER_NETWORK", env_int)
COMMENTS_DUPLICATE_WINDOW_HOURS = env_if_set("COMMENTS_DUPLICATE_WINDOW_HOURS", env_int)
COMMENTS_MAX_LINKS = env_if_set("COMMENTS_MAX_LINKS", env_int)
COMMENTS_HOLD_FIRST_TIME = env_if_set("COMMENTS_HOLD_FIRST_TIME", env_bool)
COMMENTS_TRUST_APPROVED = env_if_set("COMMENTS_TRUST_APPROVED", env_int)
COMMENTS_TRUST_DAYS = env_if_set("COMMENTS_TRUST_DAYS", env_int)
COMMENTS_BANNED_ACTION = env_if_set("COMMENTS_BANNED_ACTION", env_banned_action)
COMMENTS_NOTIFY_MODERATORS = env_if_set("COMMENTS_NOTIFY_MODERATORS", env_moderator_notices)
COMMENTS_REPLY_EMAILS = env_if_set("COMMENTS_REPLY_EMAILS", env_bool)
COMMENTS_NOTIFY_AUTHOR = env_if_set("COMMENTS_NOTIFY_AUTHOR", env_bool)
COMMENTS_MODERATORS_EMAILS = env_if_set("COMMENTS_MODERATORS_EMAILS", env_list)
COMMENTS_EMAIL_LINK_HOURS = env_if_set("COMMENTS_EMAIL_LINK_HOURS", env_int)
COMMENTS_SPAM_RETENTION_DAYS = env_if_set("COMMENTS_SPAM_RETENTION_DAYS", env_int)
COMMENTS_BLATANT_RETENTION_DAYS = env_if_set("COMMENTS_BLATANT_RETENTION_DAYS", env_int)
COMMENTS_PERSONAL_DATA_DAYS = env_if_set("COMMENTS_PERSONAL_DATA_DAYS", env_personal_data_days)
COMMENTS_REPORTS_HOLD_NETWORKS = env_if_set("COMMENTS_REPORTS_HOLD_NETWORKS", env_int)
COMMENTS_REPORTS_PER_HOUR = env_if_set("COMMENTS_REPORTS_PER_HOUR", env_int)
COMMENTS_REPORTS_RETENTION_DAYS = env_if_set("COMMENTS_REPORTS_RETENTION_DAYS", env_int)
COMMENTS_DECISION_EMAIL_MINUTES = env_if_set("COMMENTS_DECISION_EMAIL_MINUTES", env_int)
PRIVACY_CONTACT_EMAIL = env_if_set("PRIVACY_CONTACT_EMAIL", env_str)

# --- The WordPress import (wordpress/) -------------------------------------------------------
# The largest export the admin's import page takes, in MB: a larger one is refused with a form
# error (`manage.py import_wordpress` has no limit). Django itself limits no uploaded file
# (DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out); nginx does, so deploy/nginx.conf.example lets
# the import page's uploads through up to a little more: keep its client_max_body_size in step.
WORDPRESS_IMPORT_MAX_MB = env_int("WORDPRESS_IMPORT_MAX_MB", 64)
# The uploads the admin's import page takes beside the export: a zip of wp-content/uploads (or
# the export and the uploads in one zip) of at most this many MB, which may unpack to at most
# this many MB of images (wordpress/archive.py: zip-slip, zip bombs, only images). nginx's
# client_max_body_size for that page is kept above the two limits added up.
WORDPRESS_UPLOADS_MAX_MB = env_int("WORDPRESS_UPLOADS_MAX_MB", 1024)

# --- Tasks a dead worker left running (issue 15: nothing lost) --------------------------------
# A db_worker killed mid-task leaves its row RUNNING for ever. The scheduler's `stale-tasks` job
# (fitness/core/scheduler.py) puts a row back in the queue once it has been RUNNING this many
# seconds (keep it well above the longest task: Akismet's timeout, EMAIL_TIMEOUT), and marks it
# failed, with an error line in the log, once it has been started this many times.
TASKS_RUNNING_TIMEOUT = env_int("TASKS_RUNNING_TIMEOUT", 600)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 3)
