"""What the scale-out tests share: each runs a bench/ script that needs a shared PostgreSQL and
Redis, and reads the JSON report the script prints as its last line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIGURED = os.environ.get("DATABASE_URL", "").startswith(
    ("postgres://", "postgresql://")
) and bool(os.environ.get("REDIS_URL"))


def run_bench(script, *args, what):
    """Run `bench/<script> <args>`; its last line's JSON, with "output": what it printed before
    (and the end of its stderr). Skipped, naming `what`, unless DATABASE_URL points at
    PostgreSQL and REDIS_URL is set (CI sets both)."""
    if not CONFIGURED:
        pytest.skip(
            f"{what} needs a shared PostgreSQL and Redis: set DATABASE_URL (postgres://...) and "
            "REDIS_URL (CI does)"
        )
    result = subprocess.run(
        [sys.executable, f"bench/{script}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, f"bench/{script} printed nothing:\n{result.stderr[-3000:]}"
    report = json.loads(lines[-1])
    report["output"] = "\n".join(lines[:-1]) + "\n" + result.stderr[-3000:]
    return report
