"""
Queueing background work for every app (django-tasks), so that a failure to queue never fails
the request that asked for it:

    schedule(task, *args, run_after=None)   run it if, and only if, the caller's transaction
                                             commits
    enqueue(task, *args, run_after=None)    queue it now; its result, or None

Under TASKS_BACKEND=immediate (development, `make run`) a task runs inline; under
TASKS_BACKEND=database it is stored and run by `manage.py db_worker`, and the scheduler's
stale-tasks job (`scheduler.py`) queues again a task whose worker died.
"""

import logging

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger("fitness.tasks")


def enqueue(task, *args, run_after=None):
    """Enqueue now; None if the backend cannot take it (logged). Never raises, and inside a
    transaction a failure rolls back only its own savepoint, never the caller's work.
    `run_after` on a backend that cannot defer: None, nothing queued (the caller's own
    periodic job is expected to pick the work up when due)."""
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return None
            task = task.using(run_after=run_after)
        with transaction.atomic():
            return task.enqueue(*args)
    except Exception:
        logger.exception("Could not enqueue %s%r", task.name, args)
        return None


def schedule(task, *args, run_after=None) -> None:
    """Run `task` in the background if, and only if, the caller's transaction commits.

    With the database backend the task's row is written inside that transaction, so it
    commits with the change it follows: a web worker killed right after the commit cannot
    lose it (enqueueing after the commit could). Any other backend (immediate: development)
    is asked after the commit, so the task sees the committed rows. Never raises.
    """
    try:
        in_database = isinstance(task.get_backend(), DatabaseBackend)
        if in_database and transaction.get_connection().in_atomic_block:
            enqueue(task, *args, run_after=run_after)
        else:
            transaction.on_commit(lambda: enqueue(task, *args, run_after=run_after), robust=True)
    except Exception:
        logger.exception("Could not schedule %s%r", task.name, args)
