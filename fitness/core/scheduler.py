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
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fitness.core import tolerant_cache

logger = logging.getLogger("fitness.scheduler")

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def database_tasks():
    return settings.TASKS_BACKEND == "database"


def stale_tasks_interval():
    """How often to look for tasks a dead worker left running: a quarter of the time after
    which one counts as stale, at most a minute (read once, when the job list is built)."""
    return max(1, min(MINUTE, settings.TASKS_RUNNING_TIMEOUT // 4))


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


# The project's own jobs; every app adds its own when it is ready (comments/schedule.py):
# `register`.
JOBS: list[Job] = [
    # Tasks whose db_worker died while running them are queued again (see requeue_stale_tasks).
    Job(
        "stale-tasks",
        stale_tasks_interval(),
        "fitness.core.scheduler.requeue_stale_tasks",
        enabled=database_tasks,
        why_disabled="TASKS_BACKEND is not 'database'",
    ),
]


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


# --- Tasks left running by a dead worker --------------------------------------------------------

STALE_TASK_ERROR = "fitness.core.scheduler.StaleTask"


def requeue_stale_tasks(now=None, *, limit=100):
    """Take back tasks that have been RUNNING for TASKS_RUNNING_TIMEOUT seconds: their
    db_worker died (killed, out of memory, machine lost) and nobody else will finish them.

    Each goes back to the queue, unless it has been started TASKS_MAX_ATTEMPTS times already:
    then it is marked failed, with an error line in the log (a task that kills its worker must
    not kill every worker in turn). django-tasks-db appends the claiming worker's id to
    `worker_ids` on every start, so that list counts the attempts. A row is changed only if it
    is still the RUNNING row that was read, so a task that ends meanwhile is left alone.
    Returns {"requeued": n, "gave_up": n}.
    """

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_RUNNING_TIMEOUT)
    done = {"requeued": 0, "gave_up": 0}
    stale = DBTaskResult.objects.running().filter(started_at__lt=cutoff).order_by("started_at")
    for row in stale[:limit]:
        attempts = len(row.worker_ids or [])
        same = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if attempts >= settings.TASKS_MAX_ATTEMPTS:
            why = (
                f"Gave up after {attempts} attempts: each time its worker stopped while running "
                f"it (running since {row.started_at:%Y-%m-%d %H:%M:%S} UTC, found {now:%H:%M:%S})."
            )
            changed = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=STALE_TASK_ERROR,
                traceback=why,
            )
            if changed:
                done["gave_up"] += 1
                logger.error("task %s %s%r: %s", row.pk, row.task_path, row.args_kwargs, why)
        else:
            changed = same.update(status=TaskResultStatus.READY, started_at=None)
            if changed:
                done["requeued"] += 1
                logger.warning(
                    "task %s %s%r queued again: running since %s, its worker is gone "
                    "(attempt %d of %d)",
                    row.pk,
                    row.task_path,
                    row.args_kwargs,
                    row.started_at.isoformat(timespec="seconds"),
                    attempts + 1,
                    settings.TASKS_MAX_ATTEMPTS,
                )
    return done


# --- Running them ------------------------------------------------------------------------------


def _tidy_connections():
    """Drop broken or expired connections between jobs, as a request would; never inside an
    open transaction (a caller's, or a test's), where closing would break the caller."""

    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        close_old_connections()


def run_job(job):
    """Run one job, isolated: log one line with the outcome; True unless it raised."""

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

    claimed = tolerant_cache.add(f"scheduler:claim:{job.name}", "1", max(job.interval - 1, 1))
    return claimed is not False  # no cache (None): run anyway rather than never


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
