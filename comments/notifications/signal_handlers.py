"""
What follows a service's change: the receivers of `comments.signals`, connected by
`register()` from `CommentsConfig.ready()`.

The services send a signal inside their transaction; the receivers here only schedule a
background task (`fitness.core.tasks.schedule`), which runs if, and only if, that transaction
commits, or note an email as due for a scheduled job (`writers.statement_due`), and never
raise.
"""

from comments import signals
from comments.conf import settings
from comments.notifications.article_authors import send_published_notice
from comments.notifications.moderators import held_notice_due, send_held_notice
from comments.notifications.optin import address_confirmed, send_reply_confirmation
from comments.notifications.replies import parent_wants_replies, send_reply_notice
from comments.notifications.reporters import send_receipt
from comments.notifications.tasks import recheck_comment, report_to_akismet
from comments.notifications.writers import send_approved_notice, statement_due
from fitness.core.tasks import schedule


def register():
    signals.comment_held.connect(_held, dispatch_uid="notifications.comment_held")
    signals.comment_published.connect(_published, dispatch_uid="notifications.comment_published")
    signals.reply_emails_asked.connect(
        _reply_emails_asked, dispatch_uid="notifications.reply_emails_asked"
    )
    signals.comment_removed.connect(_removed, dispatch_uid="notifications.comment_removed")
    signals.report_received.connect(_report_received, dispatch_uid="notifications.report")
    signals.akismet_report_due.connect(_report_due, dispatch_uid="tasks.akismet_report_due")
    signals.akismet_recheck_due.connect(_recheck_due, dispatch_uid="tasks.akismet_recheck_due")


def comment_held(comment):
    """A comment waits for moderation: email moderators now, or leave it for the digest."""
    if settings.COMMENTS_NOTIFY_MODERATORS == "each" and held_notice_due():
        schedule(send_held_notice, comment.pk)


def comment_published(comment, from_status=""):
    """A comment is out: email the article's author (unless they wrote it), for a reply the
    author of the comment it answers if they asked for it (the task checks that), and for a
    held comment its writer if they asked to know."""
    if settings.COMMENTS_NOTIFY_AUTHOR:
        schedule(send_published_notice, comment.pk)
    if comment.parent_id is not None and parent_wants_replies(comment):
        schedule(send_reply_notice, comment.pk)
    if from_status == comment.Status.PENDING and comment.notify_published:
        schedule(send_approved_notice, comment.pk)


def _held(sender, *, comment, **kwargs):
    comment_held(comment)


def _published(sender, *, comment, from_status="", **kwargs):
    comment_published(comment, from_status)


def _removed(sender, *, comment, **kwargs):
    statement_due(comment)


def _report_received(sender, *, report, **kwargs):
    if report.is_notice and report.reporter_email:
        schedule(send_receipt, report.pk)


def _reply_emails_asked(sender, *, comment, **kwargs):
    if not address_confirmed(comment.author_email):
        schedule(send_reply_confirmation, comment.pk)


def _report_due(sender=None, *, report, **kwargs):
    schedule(report_to_akismet, report.pk)


def _recheck_due(sender=None, *, comment, when, **kwargs):
    schedule(recheck_comment, comment.pk, run_after=when)
