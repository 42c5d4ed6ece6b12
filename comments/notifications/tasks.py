"""
Background work about Akismet, through the django-tasks API.

The services ask for it through `comments.signals` (a report is due, a recheck is due); the
receivers (`signal_handlers`) schedule the task with `fitness.core.tasks.schedule` (as every
app's background work is), and never raise. Under TASKS_BACKEND=immediate (development,
`make run`) a task runs inline right after the commit;
under TASKS_BACKEND=database it is stored and run by `manage.py db_worker`. Deferred rechecks
need a backend that can defer (database); otherwise the scheduler's akismet-retry job
(`rechecks.process_due`) runs whatever is due. The emails' tasks live beside their emails
(`moderators`, `article_authors`, `replies`, `optin`).
"""

from django.contrib.auth import get_user_model
from django_tasks import task
from django_tasks.base import TaskResultStatus

from comments.models import AkismetReport, Comment
from comments.services.akismet_reports import send_report
from comments.services.moderation import apply
from comments.services.rechecks import recheck
from fitness.core.tasks import enqueue


@task()
def recheck_comment(comment_id: int):
    """Recheck one comment with Akismet if it still waits for a check."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.akismet_verdict != Comment.Akismet.UNCHECKED:
        return None
    return recheck(comment)


@task()
def run_operation(name: str, comment_id: int, by_id: int | None = None):
    """A moderator's operation that waits on Akismet (a recheck), one comment per task, so that
    a slow Akismet never holds a web request; returns what the operation returned."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return None
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    result = apply(name, [comment], by=by)
    if result.verdicts:
        return next(iter(result.verdicts))
    return bool(result.changed)


def run_in_background(name: str, comments, *, by=None) -> tuple[list[str], int]:
    """Enqueue `run_operation` for each comment; returns (the answers of the tasks that have
    already finished, how many are still queued). A backend that runs tasks at once (the
    immediate one, in development and tests) answers every one."""
    answers, queued = [], 0
    by_id = by.pk if by is not None and by.is_authenticated else None
    for comment in comments:
        result = enqueue(run_operation, name, comment.pk, by_id)
        if result is None:
            answers.append("error (not queued)")
        elif result.status == TaskResultStatus.SUCCESSFUL:
            answers.append(str(result.return_value or "no answer"))
        elif result.status == TaskResultStatus.FAILED:
            answers.append("error (task failed)")
        else:
            queued += 1
    return answers, queued


@task()
def report_to_akismet(report_id: int):
    """Send one moderator's correction (submit-spam / submit-ham) to Akismet."""
    report = (
        AkismetReport.objects.select_related("comment", "comment__article", "by")
        .filter(pk=report_id, status=AkismetReport.Status.PENDING)
        .first()
    )
    if report is None:
        return False
    return send_report(report)
