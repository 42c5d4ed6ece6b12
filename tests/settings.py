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

os.environ["DEBUG"] = "1"
os.environ["SECRET_KEY"] = "tests-only-secret-key-never-used-outside-the-test-suite"

from fitness.settings import *  # noqa: F403

# Uploaded images go to a directory of this run's own, never the developer's media/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="fitness-test-media-")
