"""fitness.core.tasks: background work runs if, and only if, the caller's transaction commits
(its row written inside it with the database backend), and queueing never fails the caller."""

import pytest
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from fitness.core.tasks import enqueue, schedule

pytestmark = pytest.mark.django_db(transaction=True)

RAN = []
TASK_PATH = f"{__name__}.remember"


@task()
def remember(value):
    RAN.append(value)
    return value


@pytest.fixture(autouse=True)
def _nothing_ran():
    RAN.clear()


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Abandoned(Exception):
    pass


def test_immediately_after_the_commit_and_never_after_a_rollback():
    with transaction.atomic():
        schedule(remember, "kept")
        assert RAN == []  # not before the commit: the task would not see the rows
    assert RAN == ["kept"]
    with pytest.raises(Abandoned), transaction.atomic():
        schedule(remember, "rolled back")
        raise Abandoned
    assert RAN == ["kept"]


def test_with_the_database_its_row_commits_with_the_callers_work(database_tasks):
    with transaction.atomic():
        schedule(remember, "kept")
        assert DBTaskResult.objects.filter(task_path=TASK_PATH).exists()  # inside it
    with pytest.raises(Abandoned), transaction.atomic():
        schedule(remember, "rolled back")
        raise Abandoned
    assert [r.args_kwargs["args"] for r in DBTaskResult.objects.filter(task_path=TASK_PATH)] == [
        ["kept"]
    ]


def test_a_queue_that_refuses_never_fails_the_caller(settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "no.such.Backend"}}
    with transaction.atomic():
        schedule(remember, "lost")
        assert enqueue(remember, "lost") is None
    assert RAN == []
    assert "Could not schedule" in caplog.text and "Could not enqueue" in caplog.text
