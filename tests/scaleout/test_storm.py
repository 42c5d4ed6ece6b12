"""A posting storm through nginx loses and duplicates nothing.

Runs a short `bench/storm.py` (100 readers, 10 posts a second for 8 s, Akismet answering in
300 ms, a moderator approving; the production topology: page workers, the posting pool, nginx
with the example's blocks) when DATABASE_URL points at PostgreSQL and REDIS_URL is set, as in
CI; skipped otherwise. Latency and cache figures are printed, not asserted (bench/README.md).
"""

import pytest

from tests.scaleout.helpers import run_bench

pytestmark = pytest.mark.scaleout


@pytest.fixture(scope="module")
def storm():
    args = ["--readers", "100", "--seconds", "8", "--rate", "10"]
    report = run_bench("storm.py", *args, what="the posting storm")
    print(report["output"])
    return report


def test_every_post_is_stored_once(storm):
    assert storm["lost"] == 0, (storm["lost_examples"], storm["output"])
    assert storm["duplicated"] == 0, storm["output"]
    assert storm["stored"] == storm["posts_sent"] - storm["refused"], storm["output"]


def test_readers_were_answered_and_approvals_reached_them(storm):
    assert storm["post_statuses"].get("302", 0) > 0, storm["output"]
    assert storm["approvals"] > 0, storm["output"]
    assert storm["readers_who_saw_the_last_approval"] > 0, storm["output"]
