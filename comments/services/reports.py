"""
Readers' reports on comments, without an account:

    result = report_comment(comment, reason=..., note=..., reader=token, ip=ip)
    decide_open(comment, decision, by=moderator)    # from moderation.apply (the registry)
    reopen(ids)                                     # from moderation.undo

A reader (a browser's signed token, `comments.readers.cookies.reporter_token`, and its network,
counted as flood control counts it) reports a comment once; a network sends at most
COMMENTS_REPORTS_PER_HOUR reports an hour. Open reports from COMMENTS_REPORTS_HOLD_NETWORKS
distinct networks hold a published comment for a moderator at once, through the status
service, recorded in its history. A moderator's operation decides a comment's open reports
(`Operation.decides_reports`): Approve, Not spam and Dismiss reports dismiss them; Remove and
Spam uphold them. The history says what was reported and decided, never who reported.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import ngettext

from comments import signals
from comments.conf import settings
from comments.models import Comment, CommentEvent, CommentQuerySet, CommentReport
from comments.screening.flood import address_key
from comments.services.status import approve, change_status, lock

Status = Comment.Status
Reason = CommentReport.Reason
Decision = CommentReport.Decision

# Who the history names for a hold by reports, and for each report (never the reporter).
REPORTS_ACTOR = "readers' reports"
READER_ACTOR = "a reader"

NOT_SHOWN = (
    "This comment is not shown any more: a moderator may be looking at it already, or it was "
    "removed. Thank you for wanting to help."
)
ALREADY_REPORTED = (
    "You have already reported this comment. Thank you: a moderator will look at it; one "
    "report from you is enough."
)
TOO_MANY = (
    "Too many reports have come from your network in the last hour. Please try again in an "
    "hour; nothing you sent before is lost."
)

# What each decision says, in the history and the message: "2 reports dismissed".
DECIDED = {
    Decision.DISMISSED: "dismissed",
    Decision.REMOVED: "upheld (comment removed)",
    Decision.SPAM: "upheld (comment marked as spam)",
}


@dataclass
class ReportResult:
    """What a report did: saved (`report`, and `held` if it held the comment) or `refusal`."""

    report: CommentReport | None = None
    refusal: str = ""
    refused_because: str = ""  # "not_shown", "already", "too_many"
    held: bool = False


def network_of(ip) -> str:
    """What a report counts its sender as: flood control's network (IPv6: a /64), or ""."""
    return address_key(ip) if ip else ""


def already_reported(comment, *, reader="", network="") -> bool:
    """Has this browser, or anyone on this network, reported the comment already?"""
    who = Q(pk__in=[])
    if reader:
        who |= Q(reader=reader)
    if network:
        who |= Q(network=network)
    return bool(reader or network) and CommentReport.objects.filter(who, comment=comment).exists()


def too_many_from(network, *, now=None) -> bool:
    """Has `network` sent COMMENTS_REPORTS_PER_HOUR reports in the last hour?"""
    limit = settings.COMMENTS_REPORTS_PER_HOUR
    if not network or limit <= 0:
        return False
    since = (now or timezone.now()) - timedelta(hours=1)
    recent = CommentReport.objects.filter(network=network, created_at__gte=since)
    return recent.count() >= limit


def report_refusal(comment, *, reader="", ip=None) -> tuple[str, str]:
    """(why, message) a report from this reader would be refused, or ("", "")."""
    network = network_of(ip)
    if comment.status != Status.APPROVED:
        return "not_shown", NOT_SHOWN
    if already_reported(comment, reader=reader, network=network):
        return "already", ALREADY_REPORTED
    if too_many_from(network):
        return "too_many", TOO_MANY
    return "", ""


def report_comment(
    comment: Comment,
    *,
    reason: str,
    note: str = "",
    explanation: str = "",
    reporter_name: str = "",
    reporter_email: str = "",
    good_faith: bool = False,
    reader: str = "",
    ip=None,
) -> ReportResult:
    """Save one reader's report and hold the comment if enough networks have reported it.

    The comment's row is locked while it is counted, so that the report that reaches the
    threshold holds it exactly once however many arrive together."""
    network = network_of(ip)
    with transaction.atomic():
        lock(comment)
        why, refusal = report_refusal(comment, reader=reader, ip=ip)
        if refusal:
            return ReportResult(refusal=refusal, refused_because=why)
        notice = reason == Reason.ILLEGAL
        try:
            with transaction.atomic():
                report = CommentReport.objects.create(
                    comment=comment,
                    reason=reason,
                    note=note,
                    explanation=explanation if notice else "",
                    reporter_name=reporter_name if notice else "",
                    reporter_email=reporter_email if notice else "",
                    good_faith=good_faith if notice else False,
                    network=network,
                    reader=reader,
                )
        except IntegrityError:  # the same reader at the same instant, twice
            return ReportResult(refusal=ALREADY_REPORTED, refused_because="already")
        CommentEvent.objects.record(
            comment,
            kind=CommentEvent.Kind.REPORT,
            actor_label=READER_ACTOR,
            note=f"Reported: {report.get_reason_display().lower()}.",
        )
        held = hold_if_reported(comment)
        signals.report_received.send(sender=CommentReport, report=report)
    return ReportResult(report=report, held=held)


def hold_if_reported(comment: Comment) -> bool:
    """Hold a published comment when its open reports come from enough distinct networks."""
    threshold = settings.COMMENTS_REPORTS_HOLD_NETWORKS
    if threshold <= 0 or comment.status != Status.APPROVED:
        return False
    open_reports = CommentReport.objects.open().filter(comment=comment)
    networks = open_reports.exclude(network="").values("network").distinct().count()
    if networks < threshold:
        return False
    note = f"Held for a moderator: open reports from {networks} networks ({summary(comment)})."
    return change_status(comment, Status.PENDING, actor_label=REPORTS_ACTOR, note=note)


def summary(comment: Comment) -> str:
    """The open reports' reasons with their counts: "harassment or abuse: 2, spam: 1"."""
    counts = (
        CommentReport.objects.open()
        .filter(comment=comment)
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")
    )
    labels = dict(Reason.choices)
    return ", ".join(f"{labels[row['reason']].lower()}: {row['n']}" for row in counts)


# --- A moderator's decision --------------------------------------------------------------------


def decide_open(comment: Comment, decision: str, *, by=None, note: str = "") -> list[int]:
    """Close the comment's open reports with `decision`; returns their ids (for undo)."""
    ids = list(CommentReport.objects.open().filter(comment=comment).values_list("pk", flat=True))
    if not ids:
        return []
    CommentReport.objects.filter(pk__in=ids).update(
        decision=decision,
        decided_at=timezone.now(),
        decided_by=by if by is not None and by.is_authenticated else None,
        decision_note=note,
        decision_sent_at=None,
    )
    words = ngettext("%(n)d report %(done)s.", "%(n)d reports %(done)s.", len(ids))
    CommentEvent.objects.record(
        comment,
        kind=CommentEvent.Kind.REPORT,
        by=by,
        note=words % {"n": len(ids), "done": DECIDED[decision]}
        + (f" Reason: {note}" if note else ""),
    )
    return ids


def reopen(comment: Comment, ids, *, by=None) -> int:
    """Undo of a decision: these reports are open again (and will be emailed afresh)."""
    count = (
        CommentReport.objects.filter(pk__in=ids, comment=comment)
        .decided()
        .update(
            decision="",
            decided_at=None,
            decided_by=None,
            decision_note="",
            decision_sent_at=None,
        )
    )
    if count:
        CommentEvent.objects.record(
            comment,
            kind=CommentEvent.Kind.REPORT,
            by=by,
            note=ngettext(
                "Undo: %(n)d report open again.", "Undo: %(n)d reports open again.", count
            )
            % {"n": count},
        )
    return count


def held_by_reports(comment: Comment) -> bool:
    """Is the comment pending because readers' reports held it (its latest status change)?"""
    if comment.status != Status.PENDING:
        return False
    latest = (
        comment.history.filter(kind=CommentEvent.Kind.STATUS)
        .order_by("-created_at", "-pk")
        .values_list("actor_label", flat=True)
        .first()
    )
    return latest == REPORTS_ACTOR


def republish_if_held(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    """Dismiss reports, the status half: a comment the reports held goes back to readers.
    (The reports themselves are closed by `decide_open`, as for every deciding operation.)"""
    if not held_by_reports(comment):
        return False
    return approve(comment, by=by, actor_label=actor_label, note=note or "Reports dismissed.")


# --- Reading them ------------------------------------------------------------------------------


def open_report_count(comment: Comment) -> int:
    """From the annotation when the comment was read with it
    (`Comment.objects.with_open_report_counts()`), else one query."""
    counted = getattr(comment, CommentQuerySet.OPEN_REPORT_COUNT, None)
    if counted is not None:
        return counted
    return CommentReport.objects.open().filter(comment=comment).count()


def reported_comments_count() -> int:
    """How many comments have open reports (the Reported view's label)."""
    return CommentReport.objects.open().values("comment").distinct().count()


# --- Retention ---------------------------------------------------------------------------------


def apply_retention(now=None) -> tuple[int, int]:
    """Clear reports' network and browser token after COMMENTS_PERSONAL_DATA_DAYS; delete
    decided reports COMMENTS_REPORTS_RETENTION_DAYS after their decision. Returns (cleared,
    deleted)."""
    now = now or timezone.now()
    personal = now - timedelta(days=settings.COMMENTS_PERSONAL_DATA_DAYS)
    cleared = CommentReport.objects.filter(
        created_at__lt=personal, scrubbed_at__isnull=True
    ).update(network="", reader="", scrubbed_at=now)
    kept = now - timedelta(days=settings.COMMENTS_REPORTS_RETENTION_DAYS)
    deleted, _ = CommentReport.objects.filter(decided_at__lt=kept).delete()
    return cleared, deleted
