"""
Background work, through the django-tasks API.

Under TASKS_BACKEND=immediate (development, `make run`) a task runs inline right after the
transaction commits; under TASKS_BACKEND=database it is stored and run by `manage.py
db_worker`. Deferred rechecks need a backend that can defer (database); otherwise the
periodic `manage.py akismet_retry` runs whatever is due.
"""

import logging

from django_tasks import task

from .models import AkismetReport, Comment

logger = logging.getLogger("comments.tasks")


@task()
def recheck_comment(comment_id):
    """Recheck one comment with Akismet if it still waits for a check."""
    from . import akismet

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.akismet_verdict != Comment.Akismet.UNCHECKED:
        return None
    return akismet.recheck(comment)


@task()
def report_to_akismet(report_id):
    """Send one moderator's correction (submit-spam / submit-ham) to Akismet."""
    from . import akismet

    report = (
        AkismetReport.objects.select_related("comment", "comment__article", "by")
        .filter(pk=report_id, status=AkismetReport.Status.PENDING)
        .first()
    )
    if report is None:
        return False
    return akismet.send_report(report)
