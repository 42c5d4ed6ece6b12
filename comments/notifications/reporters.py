"""
Emails to the reader who notified a comment as illegal content (EU Digital Services Act,
Art. 16): the receipt at once (`send_receipt`, a task after the report's commit), and the
decision (removed, marked as spam or kept, with the reason) COMMENTS_DECISION_EMAIL_MINUTES
after a moderator took it (`send_due_decisions`, the scheduler's `decision-emails` job), so that
a decision undone in that time sends nothing. Other reports carry no address: nobody is emailed.

Each email is sent once: the report's row is locked and its `receipt_sent_at` /
`decision_sent_at` set when it went out; a failure is logged and tried again at the job's next
run. The comment's history says an email went, never to whom.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from comments.conf import settings
from comments.models import CommentReport
from comments.notifications.sending import record_in_history
from comments.services.privacy import contact_email

logger = logging.getLogger("comments.notifications")
Decision = CommentReport.Decision

DECISIONS = {
    Decision.REMOVED: "A moderator removed the comment: it is no longer shown on the site.",
    Decision.SPAM: "A moderator removed the comment as spam: it is no longer shown on the site.",
    Decision.DISMISSED: (
        "A moderator reviewed the comment and kept it: they did not find it illegal or against "
        "the site's rules."
    ),
}
RECEIPT_DAYS = 2  # a receipt that could not be sent is tried again for this long


def _send(report_id, *, field, subject, body_of, note):
    """Send one email to the report's reporter unless `field` says it went; True if it went."""
    with transaction.atomic():
        report = (
            CommentReport.objects.select_for_update(of=("self",))
            .select_related("comment__article")
            .filter(pk=report_id)
            .first()
        )
        if report is None or getattr(report, field) is not None or not report.reporter_email:
            return False
        try:
            EmailMessage(subject(report), body_of(report), None, [report.reporter_email]).send()
        except Exception:
            logger.exception("Email to the reporter of report %s failed", report_id)
            return False
        setattr(report, field, timezone.now())
        report.save(update_fields=[field])
        record_in_history(report.comment, note)
    return True


def _title(report):
    return report.comment.article.title


def receipt_body(report) -> str:
    comment = report.comment
    return (
        f"We received your notice about a comment on “{_title(report)}” at "
        f"{settings.SITE_NAME}, sent on {report.created_at:%Y-%m-%d %H:%M} (UTC), reporting it "
        "as illegal content.\n\n"
        f"The comment: {settings.SITE_URL + comment.get_absolute_url()}\n"
        f"Why you find it illegal: {report.explanation}\n"
        f"Your name: {report.reporter_name}\n"
        "You confirmed that you believe in good faith that the notice is accurate and "
        "complete.\n\n"
        "A moderator will review the comment and email you the decision at this address.\n"
        f"Questions: {contact_email()}\n"
    )


@task()
def send_receipt(report_id):
    """The confirmation of receipt of an illegal-content notice."""
    return _send(
        report_id,
        field="receipt_sent_at",
        subject=lambda r: f"[{settings.SITE_NAME}] We received your notice about a comment",
        body_of=receipt_body,
        note="Reporter emailed: receipt of an illegal-content notice",
    )


def decision_body(report) -> str:
    reason = report.decision_note or (
        "The comment broke the site's rules or the law as you described."
        if report.decision != Decision.DISMISSED
        else "We found no breach of the law or of the site's rules in it."
    )
    return (
        f"You notified us on {report.created_at:%Y-%m-%d} of a comment on “{_title(report)}” at "
        f"{settings.SITE_NAME} as illegal content.\n\n"
        f"Decision ({report.decided_at:%Y-%m-%d}): {DECISIONS[report.decision]}\n"
        f"Reason: {reason}\n"
        "The decision was taken by a person, not by an automated system.\n\n"
        f"If you disagree, reply to this email or write to {contact_email()}: a moderator will "
        "look at it again. You may also turn to an out-of-court dispute settlement body or to "
        "a court.\n"
    )


def send_decision(report_id):
    return _send(
        report_id,
        field="decision_sent_at",
        subject=lambda r: f"[{settings.SITE_NAME}] Your notice about a comment: our decision",
        body_of=decision_body,
        note="Reporter emailed: the decision on an illegal-content notice",
    )


def send_due_decisions(now=None) -> int:
    """The scheduler's job: decisions older than the undo window, and receipts that failed,
    emailed to the notices' reporters. Returns how many went out."""
    now = now or timezone.now()
    delay = timedelta(minutes=settings.COMMENTS_DECISION_EMAIL_MINUTES)
    notices = CommentReport.objects.filter(reason=CommentReport.Reason.ILLEGAL).exclude(
        reporter_email=""
    )
    decided = notices.filter(decided_at__lte=now - delay, decision_sent_at__isnull=True)
    unreceipted = notices.filter(
        receipt_sent_at__isnull=True, created_at__gte=now - timedelta(days=RECEIPT_DAYS)
    )
    sent = 0
    for pk in list(unreceipted.values_list("pk", flat=True)[:200]):
        sent += send_receipt.call(pk)
    for pk in list(decided.values_list("pk", flat=True)[:200]):
        sent += send_decision(pk)
    return sent
