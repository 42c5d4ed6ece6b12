"""
Reports to Akismet: a moderator's correction (submit-spam, submit-ham) recorded as an
`AkismetReport` and sent after the commit, by a background task or, when due again, by the
scheduler's akismet-retry job (`comments.services.rechecks.process_due`).

The adapter (`comments.screening.akismet`) only sends; this module decides whether a report
is sent at all: never for a comment posted while Akismet was off, and not while it is off.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from comments import signals
from comments.models import AkismetReport, Comment, CommentEvent
from comments.screening import akismet

AKISMET_SAID_SPAM = {Comment.Akismet.SPAM, Comment.Akismet.BLATANT}
# The privacy page promises that a comment posted while Akismet was off is never sent to it,
# even once a key is set: the verdict "off", recorded at posting, marks those comments.
POSTED_WHILE_OFF = "it was posted while Akismet was off, and is never sent to it"
CLAIM_SECONDS = 300  # a due recheck or report is claimed for this long while one process works


def posted_while_off(comment: Comment) -> bool:
    return comment.akismet_verdict == Comment.Akismet.OFF


def schedule_report(comment: Comment, kind: str, *, by=None) -> AkismetReport | None:
    """Record that a moderator's verdict should reach Akismet; it is sent after the commit.

    Never raises: an admin action must not fail because of Akismet. Returns the report (or
    None if even recording it failed, which is logged).
    """
    try:
        if kind not in AkismetReport.Kind.values:
            raise ValueError(f"kind must be spam or ham, not {kind!r}")
        with transaction.atomic():
            report = AkismetReport.objects.create(
                comment=comment,
                kind=kind,
                by=by if by is not None and by.is_authenticated else None,
            )
            why = (
                POSTED_WHILE_OFF
                if posted_while_off(comment)
                else "Akismet is off"
                if not akismet.is_configured()
                else ""
            )
            if why:
                _skip_report(report, why, by=by)
                return report
            # A safety net: if the task never runs, process_due (the scheduler) sends it.
            report.next_attempt_at = timezone.now() + timedelta(seconds=CLAIM_SECONDS)
            report.save(update_fields=["next_attempt_at"])
            signals.akismet_report_due.send(sender=Comment, report=report)
        return report
    except Exception:
        akismet.logger.exception(
            "Could not schedule an Akismet %s report for comment %s", kind, comment.pk
        )
        return None


def _skip_report(report: AkismetReport, why: str, *, by=None) -> None:
    """Record that a report is not sent, and why, on the report and in the history."""
    report.status = AkismetReport.Status.SKIPPED
    report.next_attempt_at = None
    report.last_error = "Akismet is off (no AKISMET_API_KEY)." if why == "Akismet is off" else why
    report.save(update_fields=["status", "next_attempt_at", "last_error"])
    CommentEvent.objects.record(
        report.comment,
        kind=CommentEvent.Kind.AKISMET_REPORT,
        by=by,
        actor_label="" if by else akismet.ACTOR,
        note=f"Not reported as {report.kind} to Akismet: {why}.",
    )


def send_report(report: AkismetReport, *, now: datetime | None = None) -> bool | None:
    """Send one pending report (the task, the scheduler): True if sent, False if it failed
    (retried later), None if it must never be sent (posted while Akismet was off)."""
    if posted_while_off(report.comment):  # scheduled before this guard existed
        _skip_report(report, POSTED_WHILE_OFF)
        return None
    return akismet.send_report(report, now=now)
