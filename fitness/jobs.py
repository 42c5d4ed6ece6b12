"""
The periodic jobs, run by `manage.py run_scheduler` (or by cron with `run_scheduler --once`).

Each job is a name, how often it runs, and the dotted path of a plain function (or a
django-tasks task, which is then run inline with `.call()`). Functions are imported when the job
runs, so a job whose module is missing logs an error and the others still run. An app adds
its jobs with `register(...)` from its AppConfig.ready(), so this module names no app.
"""

import logging
import time
from dataclasses import dataclass
from importlib import import_module

logger = logging.getLogger("fitness.scheduler")

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class Job:
    name: str
    interval: int  # seconds
    function_path: str  # "package.module.function"
    enabled: object = None  # optional callable; the job is skipped while it returns False
    why_disabled: str = ""

    def load(self):
        module_path, _, attribute = self.function_path.rpartition(".")
        return getattr(import_module(module_path), attribute)

    def is_enabled(self):
        return self.enabled is None or self.enabled()


# Every app registers its jobs when it is ready (comments/jobs.py); see `register`.
JOBS: list[Job] = []


def register(*jobs):
    """Add jobs to the scheduler (an app's ready() calls this); a job of the same name is
    replaced, so registering twice does not run a job twice."""
    for job in jobs:
        JOBS[:] = [known for known in JOBS if known.name != job.name]
        JOBS.append(job)


def get_jobs(names=None):
    """The registered jobs, or those named (KeyError naming the unknown ones)."""
    if not names:
        return list(JOBS)
    by_name = {job.name: job for job in JOBS}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise KeyError(", ".join(unknown))
    return [by_name[name] for name in names]


# --- Running them ------------------------------------------------------------------------------


def _tidy_connections():
    """Drop broken or expired connections between jobs, as a request would; never inside an
    open transaction (a caller's, or a test's), where closing would break the caller."""
    from django.db import close_old_connections, connections

    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        close_old_connections()


def run_job(job):
    """Run one job, isolated: log one line with the outcome; True unless it raised."""
    from django_tasks.base import Task

    if not job.is_enabled():
        logger.info("job %s skipped: %s", job.name, job.why_disabled or "disabled")
        return True
    started = time.monotonic()
    _tidy_connections()
    try:
        function = job.load()
        result = function.call() if isinstance(function, Task) else function()
    except Exception as error:
        logger.exception(
            "job %s failed after %.0f ms: %s: %s",
            job.name,
            (time.monotonic() - started) * 1000,
            type(error).__name__,
            error,
        )
        return False
    finally:
        _tidy_connections()
    logger.info("job %s ok in %.0f ms, result=%r", job.name, (time.monotonic() - started) * 1000,
                result)  # fmt: skip
    return True


def claim_in_cache(job):
    """True if this process may run the job now: nobody else claimed it within its interval."""
    from django.core.cache import cache

    try:
        return cache.add(f"scheduler:claim:{job.name}", "1", timeout=max(job.interval - 1, 1))
    except Exception as error:  # no cache: run anyway rather than never
        logger.warning("job %s: cache unavailable for the claim (%s)", job.name, error)
        return True


class Scheduler:
    """Runs each job when its interval has passed since it last ran here (all are due at start).

    Before running a job the scheduler claims it in the shared cache for its interval, so two
    schedulers pointed at the same Redis (two machines, or an overlap during a deploy) do not
    both run it.
    """

    def __init__(self, jobs, *, clock=time.monotonic, claim=None):
        self.jobs = list(jobs)
        self.clock = clock
        self.claim = claim or claim_in_cache
        self.next_run = {job.name: clock() for job in self.jobs}

    def due(self):
        now = self.clock()
        return [job for job in self.jobs if self.next_run[job.name] <= now]

    def seconds_until_next(self):
        return max(0.0, min(self.next_run.values()) - self.clock())

    def run_pending(self):
        """Run the due jobs; returns {name: ok} for those that ran."""
        outcomes = {}
        for job in self.due():
            self.next_run[job.name] = self.clock() + job.interval
            if not self.claim(job):
                logger.info("job %s skipped: another scheduler ran it", job.name)
                continue
            outcomes[job.name] = run_job(job)
        return outcomes
