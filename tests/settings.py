"""
Settings for the test suite (pyproject.toml): the project's own, as a developer's machine has
them (DEBUG=1: HTTP, local static files, a locmem cache unless REDIS_URL is set), with a signing
key of the suite's own. Both are set whatever the shell exports, so that a test run never
depends on it; other variables (DATABASE_URL, REDIS_URL in CI) pass through.

They are set in the environment, the way `make run` asks, so that a process a test starts with
fitness.settings sees the same; a test of production behaviour removes them
(tests/test_production.py, tests/fitness/test_settings.py). Django's test runner still turns
DEBUG itself off while tests run.
"""

import os
import tempfile
from urllib.parse import urlsplit

os.environ["DEBUG"] = "1"
os.environ["SECRET_KEY"] = "tests-only-secret-key-never-used-outside-the-test-suite"


def worker_redis_url(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker ("gw0", "gw1", ...): the next ones after
    REDIS_URL's, because tests clear the cache (FLUSHDB) and must not clear another worker's."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + 1 + int(worker.removeprefix("gw"))
    if database > 15:
        raise RuntimeError(
            f"pytest-xdist worker {worker} would need Redis database {database} of {url}, past "
            "Redis's default 16: run fewer workers (-n) or give REDIS_URL a lower database"
        )
    return parts._replace(path=f"/{database}").geturl()


# Under pytest-xdist (`make test`, .ci/run) each worker has its own database (pytest-django
# names them) and its own Redis database; the processes a test starts inherit it.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = worker_redis_url(
        os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"]
    )

from fitness.settings import *  # noqa: E402, F403

# Uploaded images go to a directory of this run's own, never the developer's media/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="fitness-test-media-")
