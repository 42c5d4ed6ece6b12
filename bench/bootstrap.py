"""
The one Django bootstrap of the bench scripts: the checkout on sys.path, the production settings
module with a benchmark's defaults (DEBUG off, a throw-away SECRET_KEY, quiet logs), then
django.setup().

    import bootstrap  # first: bench/ is the script's own folder, so it is found there

    bootstrap.setup(DATABASE_URL=bootstrap.sqlite_url("bench.sqlite3"), ALLOWED_HOSTS="testserver")

The scripts are run by path (`python bench/thread_render.py`), so importing this module puts
the checkout on sys.path: `fitness`, `comments`, `tools` and `bench.*` import after it.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))  # after the script's folder, as its own modules come first

SETTINGS_MODULE = "fitness.settings"
DEFAULTS = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
}


def setup(**env):
    """Configure this process and Django: the settings module, DEFAULTS, then `env` (settings
    variables, as fitness/settings.py reads them from the environment) over them. LOG_LEVEL is
    WARNING unless the caller's environment or `env` says otherwise."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ.update(DEFAULTS)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.update({name: str(value) for name, value in env.items()})
    import django

    django.setup()


def sqlite_url(filename):
    """A SQLite database in a new folder under /tmp: nothing of a previous run is in it."""
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='fitness-bench-')) / filename}"


def given_or_sqlite_url(filename):
    """DATABASE_URL when set (a PostgreSQL database is dropped and made again, empty), else
    `sqlite_url(filename)`."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return sqlite_url(filename)
    if url.startswith(("postgres://", "postgresql://")):
        from serving import recreate_postgres_database

        recreate_postgres_database(url)
    return url
