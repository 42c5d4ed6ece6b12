"""
Two gunicorn instances sharing one PostgreSQL and one Redis behave as one site.

Runs bench/scaleout.py (which starts the instances against its own database and cache prefix)
when DATABASE_URL points at PostgreSQL and REDIS_URL is set, as in CI; skipped otherwise.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.scaleout

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
CONFIGURED = DATABASE_URL.startswith(("postgres://", "postgresql://")) and bool(REDIS_URL)


@pytest.fixture(scope="module")
def scaleout_results():
    if not CONFIGURED:
        pytest.skip(
            "the scale-out proof needs a shared PostgreSQL and Redis: set DATABASE_URL "
            "(postgres://...) and REDIS_URL (CI does)"
        )
    result = subprocess.run(
        [sys.executable, "bench/scaleout.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, f"bench/scaleout.py printed nothing:\n{result.stderr[-3000:]}"
    report = json.loads(lines[-1])
    report["output"] = result.stdout + result.stderr[-3000:]
    return report


@pytest.mark.parametrize(
    "check",
    [
        "approval visible on the other instance",
        "flood control across instances",
        "200 concurrent posts stored once",
    ],
)
def test_two_instances_behave_as_one_site(scaleout_results, check):
    result = scaleout_results["results"].get(check)

    assert result is not None, scaleout_results["output"]
    assert result["ok"], result.get("error")
