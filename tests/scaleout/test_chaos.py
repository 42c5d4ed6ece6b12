"""
Nothing is lost when Akismet, web workers, Redis or the task worker misbehave.

Runs `bench/chaos.py --short` (two gunicorn instances, a db_worker and the scheduler on its
own database, its own throw-away redis-server, the Akismet emulator; 60 posts from 20 readers in
each phase while a fault is on) when DATABASE_URL points at PostgreSQL and REDIS_URL is set, as
in CI; skipped otherwise. Latency targets are printed by the script, not asserted here: on a
shared 2-core runner they measure the neighbours as much as the code.
"""

import shutil

import pytest

from tests.scaleout.helpers import CONFIGURED, run_bench

pytestmark = pytest.mark.scaleout

PHASES = [
    "baseline",
    "akismet-slow",
    "akismet-failing",
    "akismet-garbled",
    "akismet-down",
    "web-kill",
    "redis-down",
    "worker-kill",
]


@pytest.fixture(scope="module")
def chaos():
    if CONFIGURED:
        assert shutil.which("redis-server"), "bench/chaos.py starts its own redis-server"
    report = run_bench("chaos.py", "--short", what="the chaos proof")
    print(report["output"])  # the table, shown with any failure
    return report


@pytest.mark.parametrize("phase", PHASES)
def test_no_comment_is_lost_or_stored_twice_and_no_reader_sees_a_500(chaos, phase):
    result = chaos["phases"].get(phase)

    assert result is not None, chaos["output"]
    assert result["lost"] == 0, (result["lost_examples"], chaos["output"])
    assert result["duplicated"] == 0, chaos["output"]
    assert result["http_500"] == 0, chaos["output"]
    assert result["stored"] == result["posts"] - result["refused"], chaos["output"]


# A web worker killed right after a commit used to lose the author's email (it was enqueued
# after the commit); with the database backend the task row now commits with the comment.
@pytest.mark.parametrize("phase", PHASES)
def test_every_published_comment_gets_its_one_email(chaos, phase):
    notices = chaos["phases"][phase]["notices"]

    assert (notices["missing"], notices["duplicated"]) == (0, 0), chaos["output"]


def test_a_task_the_killed_worker_was_running_is_taken_back(chaos):
    assert chaos["phases"]["worker-kill"]["kills"] >= 1, chaos["output"]
    assert chaos["phases"]["worker-kill"]["notices"]["queue_drained_s"] is not None
