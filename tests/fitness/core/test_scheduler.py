"""The stale-tasks job: a task whose db_worker died while running it is queued again and run,
and given up (failed, with an error line) once it has been started TASKS_MAX_ATTEMPTS times."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fitness.core import scheduler as jobs
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTICE = "comments.notifications.article_authors.send_published_notice"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_RUNNING_TIMEOUT = 600
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.COMMENTS_NOTIFY_AUTHOR = True
    return settings


@pytest.fixture
def published_comment(article):
    article.author = UserFactory(username="writer", email="writer@example.com")
    article.save()
    return CommentFactory(article=article, status="approved", body="Stretching after, not before.")


def running_row(comment, *, minutes_ago, starts=1, task_path=NOTICE):
    """What a db_worker killed in the middle of a task leaves behind, made by hand."""
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [comment.pk], "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        run_after=timezone.now() - timedelta(minutes=minutes_ago, seconds=1),
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=[f"dead-worker-{n}" for n in range(starts)],
    )


# A real db_worker closes connections that are not in autocommit mode, as a test transaction
# is: this test commits for real (and the database is emptied after it).
@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_dead_worker_is_queued_again_and_runs(
    database_tasks, published_comment, caplog
):
    row = running_row(published_comment, minutes_ago=11)

    assert jobs.requeue_stale_tasks() == {"requeued": 1, "gave_up": 0}

    row.refresh_from_db()
    assert (row.status, row.started_at) == (TaskResultStatus.READY, None)
    assert "queued again" in caplog.text and "attempt 2 of 3" in caplog.text
    # The next worker runs it: the author's email is sent after all.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2
    [email] = mail.outbox
    assert email.to == ["writer@example.com"]
    assert "Stretching after, not before." in email.body


def test_a_task_running_for_less_than_the_timeout_is_left_alone(database_tasks, published_comment):
    row = running_row(published_comment, minutes_ago=9)

    assert jobs.requeue_stale_tasks() == {"requeued": 0, "gave_up": 0}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_finished_and_waiting_tasks_are_never_touched(database_tasks, published_comment):
    row = running_row(published_comment, minutes_ago=30)
    DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.SUCCESSFUL)

    assert jobs.requeue_stale_tasks() == {"requeued": 0, "gave_up": 0}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL


def test_after_the_last_attempt_the_task_is_failed_with_an_error_line(
    database_tasks, published_comment, caplog
):
    caplog.set_level(logging.INFO, logger="fitness.scheduler")
    row = running_row(published_comment, minutes_ago=11, starts=3)

    assert jobs.requeue_stale_tasks() == {"requeued": 0, "gave_up": 1}

    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == jobs.STALE_TASK_ERROR
    assert "Gave up after 3 attempts" in row.traceback
    [line] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert str(row.pk) in line.getMessage() and NOTICE in line.getMessage()
    # Failed is final: the next run leaves it, and no worker picks it up.
    assert jobs.requeue_stale_tasks() == {"requeued": 0, "gave_up": 0}
    assert not DBTaskResult.objects.ready().exists()


def test_the_timeout_and_the_attempts_are_settings(database_tasks, published_comment):
    database_tasks.TASKS_RUNNING_TIMEOUT = 30
    database_tasks.TASKS_MAX_ATTEMPTS = 1
    young, old = (
        running_row(published_comment, minutes_ago=0),
        running_row(published_comment, minutes_ago=1),
    )

    assert jobs.requeue_stale_tasks() == {"requeued": 0, "gave_up": 1}
    young.refresh_from_db(), old.refresh_from_db()
    assert (young.status, old.status) == (TaskResultStatus.RUNNING, TaskResultStatus.FAILED)


def test_the_scheduler_runs_it_only_with_database_tasks(settings, caplog):
    caplog.set_level(logging.INFO, logger="fitness.scheduler")
    settings.TASKS_BACKEND = "immediate"
    call_command("run_scheduler", "--once", "--job", "stale-tasks")
    assert "job stale-tasks skipped: TASKS_BACKEND is not 'database'" in caplog.text

    settings.TASKS_BACKEND = "database"
    call_command("run_scheduler", "--once", "--job", "stale-tasks")
    assert "job stale-tasks ok" in caplog.text and "'requeued': 0" in caplog.text


def test_it_looks_often_enough_for_its_timeout(settings):
    settings.TASKS_RUNNING_TIMEOUT = 600
    assert jobs.stale_tasks_interval() == 60
    settings.TASKS_RUNNING_TIMEOUT = 12
    assert jobs.stale_tasks_interval() == 3
