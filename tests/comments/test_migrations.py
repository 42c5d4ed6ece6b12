"""Migration 0005: background tasks queued under the old dotted paths follow their functions."""

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

import comments
from tests.factories import CommentFactory, UserFactory

task_paths_moved = importlib.import_module("comments.migrations.0005_task_paths_moved")

pytestmark = pytest.mark.django_db


def queued(comment, task_path, status=TaskResultStatus.READY):
    """A row as the database backend stores an enqueued task, made by hand."""
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [comment.pk], "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        run_after=timezone.now(),
    )


# A real db_worker closes connections that are not in autocommit mode, as a test transaction
# is: this test commits for real (and the database is emptied after it).
@pytest.mark.django_db(transaction=True)
def test_a_queued_task_with_its_old_path_is_rewritten_and_then_runs(settings, article):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_NOTIFY_AUTHOR = True
    article.author = UserFactory(username="writer", email="writer@example.com")
    article.save()
    comment = CommentFactory(article=article, status="approved", body="Stretch after, not before.")
    row = queued(comment, "comments.notifications.send_published_notice")

    task_paths_moved.forwards(apps, schema_editor=None)

    row.refresh_from_db()
    assert row.task_path == "comments.notifications.article_authors.send_published_notice"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    [email] = mail.outbox
    assert email.to == ["writer@example.com"]
    assert "Stretch after, not before." in email.body


def test_rows_still_to_run_move_both_ways_and_finished_ones_stay(article):
    comment = CommentFactory(article=article)
    before_layers = {old: queued(comment, old) for old, _ in task_paths_moved.MOVES}
    first_layout = {old: queued(comment, old) for old, _ in task_paths_moved.FIRST_LAYOUT}
    running = queued(comment, "comments.tasks.recheck_comment", TaskResultStatus.RUNNING)
    finished = queued(comment, "comments.tasks.recheck_comment", TaskResultStatus.SUCCESSFUL)
    failed = queued(comment, "comments.notifications.send_digest", TaskResultStatus.FAILED)
    other = queued(comment, "fitness.core.tasks.something_else")

    task_paths_moved.forwards(apps, schema_editor=None)

    def path(row):
        row.refresh_from_db()
        return row.task_path

    for old, new in task_paths_moved.MOVES:
        assert path(before_layers[old]) == new
    for old, new in task_paths_moved.FIRST_LAYOUT:
        assert path(first_layout[old]) == new
    assert path(running) == "comments.notifications.tasks.recheck_comment"
    assert path(finished) == "comments.tasks.recheck_comment"
    assert path(failed) == "comments.notifications.send_digest"
    assert path(other) == "fitness.core.tasks.something_else"

    task_paths_moved.backwards(apps, schema_editor=None)

    for old, _new in task_paths_moved.MOVES:
        assert path(before_layers[old]) == old
    assert path(running) == "comments.tasks.recheck_comment"


# Tasks written after 0005, where they have always been: a move of one needs a migration too.
TASKS_ADDED_SINCE = {
    "comments.notifications.reporters.send_receipt",
    "comments.notifications.writers.send_approved_notice",
}


def test_every_task_of_the_app_is_where_the_migration_points():
    """A task moved again needs its row in a migration like 0005: this says so."""
    found = set()
    for module in pkgutil.walk_packages(comments.__path__, "comments."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Task) and value.module_path.startswith("comments."):
                found.add(value.module_path)
    pointed_at = {new for _, new in task_paths_moved.MOVES} | TASKS_ADDED_SINCE
    assert found == pointed_at
    assert all(isinstance(import_string(path), Task) for path in pointed_at)
