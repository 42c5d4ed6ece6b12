"""
Rechecks: ask Akismet again about a stored comment, and settle its status by the answer.

A comment Akismet could not check when it was posted (a timeout, an outage) is held with
`akismet_next_check_at` set; a background task rechecks it then, and the scheduler's
akismet-retry job (`process_due`) catches whatever is due, reports to Akismet included. A
moderator may recheck any comment (the `recheck` operation). The adapter only asks; this
module decides.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from comments import signals
from comments.conf import settings
from comments.models import AkismetReport, Comment, CommentEvent
from comments.screening import akismet
from comments.screening.pipeline import local_hold
from comments.services.akismet_reports import (
    AKISMET_SAID_SPAM,
    CLAIM_SECONDS,
    POSTED_WHILE_OFF,
    posted_while_off,
    send_report,
)
from comments.services.status import approve, change_status

Status = Comment.Status


def recheck(comment: Comment, *, by=None, now: datetime | None = None) -> str:
    """Check a stored comment again with what was first sent; settle its status.

    ham: a held comment is approved unless a local rule still holds it; spam: to spam;
    blatant: to spam, flagged; failure: stays as it is, unchecked, with the next retry set
    (after AKISMET_RECHECK_GIVE_UP_DAYS it is left held for a human). Returns the verdict.
    """
    now = now or timezone.now()
    if not akismet.is_configured():
        CommentEvent.objects.record(
            comment,
            kind=CommentEvent.Kind.AKISMET_CHECK,
            by=by,
            actor_label=akismet.ACTOR,
            note="Not rechecked: Akismet is off (no AKISMET_API_KEY).",
        )
        return comment.akismet_verdict
    if posted_while_off(comment):
        CommentEvent.objects.record(
            comment,
            kind=CommentEvent.Kind.AKISMET_CHECK,
            by=by,
            actor_label=akismet.ACTOR,
            note=f"Not rechecked: {POSTED_WHILE_OFF}.",
        )
        return comment.akismet_verdict
    fields = dict(comment.akismet_request) or akismet.build_request(comment)
    fields["recheck_reason"] = akismet.RECHECK_REASON
    with transaction.atomic():
        verdict = akismet.comment_check(comment, fields, now=now)
        comment.save(update_fields=akismet.AKISMET_FIELDS)
        CommentEvent.objects.record(
            comment,
            kind=CommentEvent.Kind.AKISMET_CHECK,
            by=by,
            actor_label=akismet.ACTOR,
            note=_recheck_note(comment, verdict),
        )
        _settle(comment, verdict, by=by)
        if comment.status == Status.PENDING and comment.akismet_next_check_at is None:
            # Settled and still held (a local rule, or Akismet given up on): a moderator
            # is told now; one held only for Akismet was not announced when it was posted.
            signals.comment_held.send(sender=Comment, comment=comment)
    return verdict


def _recheck_note(comment, verdict):
    if verdict != Comment.Akismet.UNCHECKED:
        return f"Akismet says {verdict}"
    error = comment.akismet_response.get("error", "")
    if comment.akismet_next_check_at is None:
        return (
            f"Akismet could not be reached ({error}); gave up retrying after "
            f"{settings.AKISMET_RECHECK_GIVE_UP_DAYS} days: a moderator must decide."
        )
    return (
        f"Akismet could not be reached ({error}); "
        f"next try {comment.akismet_next_check_at:%Y-%m-%d %H:%M} UTC."
    )


def _settle(comment, verdict, *, by):
    if verdict in AKISMET_SAID_SPAM:
        # Automatic rechecks only move held comments; a moderator's recheck may move any.
        if comment.status == Status.PENDING or (by is not None and comment.status != Status.SPAM):
            note = "Blatant spam (Akismet: discard)." if verdict == Comment.Akismet.BLATANT else ""
            change_status(comment, Status.SPAM, actor_label=akismet.ACTOR, note=note)
    elif verdict == Comment.Akismet.HAM and comment.status == Status.PENDING:
        hold = local_hold(comment)
        if hold is None:
            approve(comment, actor_label=akismet.ACTOR, note="Akismet recheck: ham.")
        else:
            CommentEvent.objects.record(
                comment,
                kind=CommentEvent.Kind.SCREENING,
                actor_label=f"rule: {hold.step}",
                note=f"Akismet says ham; still held: {hold.reason}",
            )


def _claim(queryset, field, seen, now):
    """Take an item for this process: move its due time ahead unless another process did."""
    lease = now + timedelta(seconds=CLAIM_SECONDS)
    return queryset.filter(**{field: seen}).update(**{field: lease}) == 1


def process_due(now: datetime | None = None, *, limit: int = 100) -> dict[str, int]:
    """Run due rechecks and due report retries (the scheduler's akismet-retry job);
    returns {"rechecked": n, "reported": n, "failed": n, "skipped": n}."""
    now = now or timezone.now()
    done = {"rechecked": 0, "reported": 0, "failed": 0, "skipped": 0}
    if not akismet.is_configured():
        return done
    # Only "unchecked" comments are rechecked, so one posted while Akismet was off ("off") never is.
    due = Comment.objects.filter(
        akismet_verdict=Comment.Akismet.UNCHECKED, akismet_next_check_at__lte=now
    ).order_by("akismet_next_check_at")[:limit]
    for comment in due:
        seen = comment.akismet_next_check_at
        if not _claim(Comment.objects.filter(pk=comment.pk), "akismet_next_check_at", seen, now):
            continue
        verdict = recheck(comment, now=now)
        done["rechecked" if verdict != Comment.Akismet.UNCHECKED else "failed"] += 1
    reports = AkismetReport.objects.filter(
        status=AkismetReport.Status.PENDING, next_attempt_at__lte=now
    ).select_related("comment", "comment__article")[:limit]
    for report in reports:
        seen = report.next_attempt_at
        if not _claim(AkismetReport.objects.filter(pk=report.pk), "next_attempt_at", seen, now):
            continue
        sent = send_report(report, now=now)
        done["skipped" if sent is None else "reported" if sent else "failed"] += 1
    return done
