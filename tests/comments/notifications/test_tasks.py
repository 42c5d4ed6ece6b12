"""Background work through the django-tasks API: rechecks and reports."""

import pytest
from django.core.management import call_command
from django_tasks import task_backends

from comments.models import AkismetReport
from comments.notifications import tasks
from comments.services import akismet_reports
from tests.comments.screening_helpers import new_comment, post

pytestmark = pytest.mark.django_db

CHECK = "/1.1/comment-check"


@pytest.fixture
def deferring_backend(settings):
    """A backend that can defer (like the database one), recording what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def rechecks(backend):
    return [result for result in backend.results if result.task.name == "recheck_comment"]


def test_a_failed_check_enqueues_the_recheck_for_when_it_is_due(
    akismet_emulator, article, deferring_backend, django_capture_on_commit_callbacks
):
    akismet_emulator.misbehave("error500", count=1, path=CHECK)
    comment = new_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        post(comment)
    (result,) = rechecks(deferring_backend)
    assert result.args == [comment.pk]
    assert result.task.run_after == comment.akismet_next_check_at


def test_with_the_immediate_backend_a_failed_check_waits_for_the_scheduler(
    akismet_emulator, article, django_capture_on_commit_callbacks
):
    akismet_emulator.misbehave("error500", count=1, path=CHECK)
    comment = new_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        post(comment)
    assert len(akismet_emulator.requests_to(CHECK)) == 1  # not retried at once
    comment.refresh_from_db()
    assert comment.akismet_verdict == "unchecked"


def test_a_successful_check_enqueues_nothing(
    akismet_emulator, article, deferring_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(new_comment(article))
    assert rechecks(deferring_backend) == []


def test_the_recheck_task_settles_the_comment(akismet_emulator, article, returning_email):
    akismet_emulator.misbehave("close", count=1, path=CHECK)
    comment = new_comment(article, author_email=returning_email)
    post(comment)
    result = tasks.recheck_comment.enqueue(comment.pk)
    assert result.return_value == "ham"
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_the_recheck_task_leaves_a_settled_comment_alone(akismet_emulator, article):
    comment = new_comment(article)
    post(comment)
    assert tasks.recheck_comment.enqueue(comment.pk).return_value is None
    assert tasks.recheck_comment.enqueue(123456).return_value is None
    assert len(akismet_emulator.requests_to(CHECK)) == 1


def test_the_report_task_sends_a_pending_report_once(akismet_emulator, article):
    comment = new_comment(article)
    post(comment)
    report = AkismetReport.objects.create(comment=comment, kind="spam")
    assert tasks.report_to_akismet.enqueue(report.pk).return_value is True
    assert tasks.report_to_akismet.enqueue(report.pk).return_value is False
    assert len(akismet_emulator.requests_to("/1.1/submit-spam")) == 1


def test_a_report_survives_an_outage_and_the_retry_command_sends_it(
    akismet_emulator, article, django_capture_on_commit_callbacks, capsys
):
    comment = new_comment(article)
    post(comment)
    akismet_emulator.misbehave("slow", seconds=1.0, count=1, path="/1.1/submit-ham")
    with django_capture_on_commit_callbacks(execute=True):
        report = akismet_reports.schedule_report(comment, "ham")  # an admin action: never fails
    report.refresh_from_db()
    assert report.status == "pending"
    AkismetReport.objects.filter(pk=report.pk).update(next_attempt_at=report.created_at)
    call_command("akismet_retry")
    assert "sent 1 report(s)" in capsys.readouterr().out
    report.refresh_from_db()
    assert report.status == "sent"


def test_the_retry_command_rechecks_due_comments(
    akismet_emulator, article, returning_email, capsys
):
    akismet_emulator.misbehave("garbage", count=1, path=CHECK)
    comment = new_comment(article, author_email=returning_email)
    post(comment)
    type(comment).objects.filter(pk=comment.pk).update(akismet_next_check_at=comment.created_at)
    call_command("akismet_retry")
    assert "Rechecked 1 comment(s)" in capsys.readouterr().out
    comment.refresh_from_db()
    assert comment.status == "approved"
