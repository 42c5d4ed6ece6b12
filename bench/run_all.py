#!/usr/bin/env python
"""
`make bench`: every benchmark in bench/, one after the other, each in its own process.

    .venv/bin/python bench/run_all.py [name ...]     # e.g. run_all.py http_bench

Figures go to stdout (and bench/results/); the table in bench/README.md is updated by hand
from them. Uses PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set, else SQLite.
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# In the order a reader of bench/README.md meets them; a missing script is skipped.
BENCHMARKS = [
    "thread_render",
    "screening",
    "moderation_queue",
    "http_bench",
    "live_thread",
    "storm",
    "search",
]


def main(names):
    failed = []
    for name in names or BENCHMARKS:
        script = BENCH / f"{name}.py"
        if not script.exists():
            print(f"==== {name}: no bench/{name}.py, skipped", flush=True)
            continue
        print(f"==== {name}", flush=True)
        started = time.monotonic()
        status = subprocess.run([sys.executable, str(script)], cwd=BENCH.parent).returncode
        print(f"==== {name}: exit {status} in {time.monotonic() - started:.0f} s", flush=True)
        if status:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
