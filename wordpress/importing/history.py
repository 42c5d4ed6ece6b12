"""What WordPress recorded of a comment, as its status and history here: that it was imported,
then Akismet's checks and reports (`akismet_history`, else `akismet_result`), then its move
to the trash (or, for a pingback kept for the record, out of sight)."""

from datetime import datetime

from comments.models import Comment, CommentEvent
from wordpress import wxr
from wordpress.importing.context import Context
from wordpress.importing.fields import COMMENT_STATUS, PING_TYPES, php_value
from wordpress.importing.report import Report
from wordpress.importing.values import timestamp

Status = Comment.Status
ACTOR = "WordPress import"
AKISMET_EVENTS = {
    "check-ham": "checked: not spam",
    "check-spam": "checked: spam",
    "recheck-ham": "rechecked: not spam",
    "recheck-spam": "rechecked: spam",
    "check-error": "could not be reached",
    "recheck-error": "could not be reached on a recheck",
    "cron-retry-ham": "retried: not spam",
    "cron-retry-spam": "retried: spam",
    "report-spam": "reported as spam by a moderator",
    "report-ham": "reported as not spam by a moderator",
    "submit-spam": "reported as spam by a moderator",
    "submit-ham": "reported as not spam by a moderator",
    "wp-blacklisted": "held by WordPress's disallowed words",
    "wp-disallowed": "held by WordPress's disallowed words",
}


def apply_wordpress_history(
    wc: wxr.WXRComment, comment: Comment, status: str, meta: dict, context: Context
) -> list[dict]:
    """Set the new (unsaved) comment's status, when it last changed, its Akismet verdict and
    when Akismet first checked it, from what WordPress recorded; return its history rows to
    save with it. The first row says it was imported, dated when it was posted, so that the
    WordPress history after it stays in order; a trashed comment is imported with the status
    it had before, then moved."""
    first_status, trash_time = status_before_trash(status, meta)
    if wc.type in PING_TYPES:
        status = Status.REMOVED
    events = [imported_event(wc, comment, first_status, context)]
    events += akismet_events(wc, comment, meta, context.report)
    if status != first_status:
        events.append(status_event(wc, comment, first_status, status, trash_time))
    comment.status = status
    return events


def status_before_trash(status: str, meta: dict) -> tuple[str, datetime | None]:
    """The status a trashed comment had before WordPress trashed it (pending if unknown), and
    when it was trashed; any other comment's own status, and None."""
    if status != Status.REMOVED:
        return status, None
    before = meta.get("_wp_trash_meta_status", [""])[-1].strip()
    first_status = COMMENT_STATUS.get(before, Status.PENDING)
    if first_status == Status.REMOVED:
        first_status = Status.PENDING
    return first_status, timestamp(meta.get("_wp_trash_meta_time", [""])[-1])


def imported_event(wc: wxr.WXRComment, comment: Comment, status: str, context: Context) -> dict:
    kind_note = (
        f"a {wc.type}, kept for the record: never shown to readers. "
        if wc.type in PING_TYPES
        else ""
    )
    return {
        "kind": CommentEvent.Kind.STATUS,
        "created_at": comment.created_at,
        "actor_label": ACTOR,
        "actor_id": context.actor_id,
        "to_status": status,
        "note": (
            f"Imported from WordPress ({context.source}, comment {wc.id}, status "
            f"{wc.approved!r}) on {context.now:%Y-%m-%d %H:%M} UTC; {kind_note}dated "
            "with its WordPress date."
        ),
    }


def akismet_events(wc: wxr.WXRComment, comment: Comment, meta: dict, report: Report) -> list[dict]:
    """Akismet's history in WordPress, one row an entry (its verdict and first check set on
    the comment); only `akismet_result`, one row that says so."""
    result = meta.get("akismet_result", [""])[-1].strip()
    if result in ("true", "false"):
        comment.akismet_verdict = Comment.Akismet.SPAM if result == "true" else Comment.Akismet.HAM
    events, checked = [], []
    for raw in meta.get("akismet_history", []):
        entry = php_value(raw, wc.label, report)
        if not isinstance(entry, dict):
            continue
        when = timestamp(entry.get("time")) or comment.created_at
        checked.append(when)
        events.append(akismet_event(entry, when, comment))
    if result and not checked:
        events.append(
            {
                "kind": CommentEvent.Kind.AKISMET_CHECK,
                "created_at": comment.created_at,
                "actor_label": "Akismet in WordPress",
                "note": f"akismet_result {result!r} (no akismet_history).",
            }
        )
    if checked:
        comment.akismet_checked_at = min(checked)
    return events


def akismet_event(entry: dict, when: datetime, comment: Comment) -> dict:
    """One entry of `akismet_history` (never dated before the comment)."""
    event = str(entry.get("event", "")) or "unknown"
    user = str(entry.get("user", "") or "")
    kind = (
        CommentEvent.Kind.AKISMET_REPORT
        if event.startswith(("report-", "submit-"))
        else CommentEvent.Kind.STATUS
        if event.startswith("status-")
        else CommentEvent.Kind.AKISMET_CHECK
    )
    return {
        "kind": kind,
        "created_at": max(when, comment.created_at),
        "actor_label": f"Akismet in WordPress{f' ({user})' if user else ''}"[:100],
        "note": f"{event}: {AKISMET_EVENTS.get(event, 'as WordPress recorded it')}.",
    }


def status_event(
    wc: wxr.WXRComment,
    comment: Comment,
    first_status: str,
    status: str,
    trash_time: datetime | None,
) -> dict:
    """The move from the status it was imported with to its last (the trash, or out of sight
    for a pingback); the comment's status changed then."""
    when = max(trash_time or comment.created_at, comment.created_at)
    comment.status_changed_at = when
    return {
        "kind": CommentEvent.Kind.STATUS,
        "created_at": when,
        "actor_label": "WordPress",
        "from_status": first_status,
        "to_status": status,
        "note": "Moved to the trash in WordPress."
        if trash_time or wc.approved in ("trash", "post-trashed")
        else f"A {wc.type}: not shown to readers.",
    }
