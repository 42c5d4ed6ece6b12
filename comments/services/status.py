"""
Status changes: the only code that moves a saved comment between pending, approved, spam and
removed. Each is a verb over explicit arguments (`approve(comment, *, by)`), written once and
called from the moderators' operations (`comments.services.moderation`), rechecks, the writer's
own deletion, the importer and tests alike.

Each change locks the comment's row, writes a history row, keeps the article's approved count,
thread visibility and page cache right (`comments.services.counts`), and tells what follows
through `comments.signals` (a published comment to the notifications), inside the transaction.
Marking spam or not spam also tells Akismet what it got wrong (`akismet_reports`).
"""

from django.db import transaction
from django.utils import timezone

from comments import signals
from comments.models import AkismetReport, Comment, CommentEvent
from comments.services.akismet_reports import AKISMET_SAID_SPAM, schedule_report
from comments.services.counts import move_article_count, move_status_count

Status = Comment.Status


def lock(comment: Comment) -> Comment:
    """Lock the comment's row until the transaction ends and read its status again there, so
    that two moderators acting on it at once are served one after the other: the second sees
    what the first did, and nothing is recorded twice.

    A reply's thread top is locked with it, in the same statement (`lock_thread`)."""
    rows = (
        Comment.objects.select_for_update()
        .filter(pk__in=sorted({comment.pk, comment.thread_id or comment.pk}))
        .order_by("pk")  # the top first (the lower pk), as `lock_thread` takes it
        .values("pk", "status", "status_changed_at", "body", "author_name", "author_url")
    )
    for row in rows:
        if row.pop("pk") == comment.pk:
            for name, value in row.items():
                setattr(comment, name, value)
    return comment


def lock_thread(thread_id: int) -> None:
    """Lock a thread's top row until the transaction ends. Whatever can change which of a
    thread's comments are public takes it first (`lock`; a public reply being posted), so
    that each recomputes the thread's visibility after the others have committed: two replies
    removed at once each saw the other still public and left their thread listed with nothing
    in it to show."""
    Comment.objects.select_for_update().filter(pk=thread_id).values_list("pk").first()


@transaction.atomic(savepoint=False)  # inside a caller's transaction: no savepoint round trips
def change_status(
    comment: Comment, to_status: str, *, by=None, actor_label: str = "", note: str = ""
) -> bool:
    """Move one comment to `to_status`; returns False (and records nothing) if already there.

    The row is locked first (`lock`): the status it moves from is the one in the database."""
    lock(comment)
    from_status = comment.status
    if from_status == to_status:
        return False
    comment.status = to_status
    comment.status_changed_at = timezone.now()
    comment.save(update_fields=["status", "status_changed_at", "updated_at"])
    CommentEvent.objects.record(
        comment,
        by=by,
        actor_label=actor_label,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )
    if Status.APPROVED in (from_status, to_status):
        move_article_count(comment, 1 if to_status == Status.APPROVED else -1)
    if to_status == Status.APPROVED:
        signals.comment_published.send(sender=Comment, comment=comment, from_status=from_status)
    transaction.on_commit(lambda: move_status_count(from_status, to_status))
    return True


def approve(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    return change_status(comment, Status.APPROVED, by=by, actor_label=actor_label, note=note)


def unapprove(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    return change_status(comment, Status.PENDING, by=by, actor_label=actor_label, note=note)


def remove(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    return change_status(comment, Status.REMOVED, by=by, actor_label=actor_label, note=note)


def restore(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    """Bring a removed (or spam) comment back to the moderation queue."""
    return change_status(comment, Status.PENDING, by=by, actor_label=actor_label, note=note)


# --- Reclassification, with Akismet told what it got wrong --------------------------------------


@transaction.atomic(savepoint=False)
def mark_spam(
    comment: Comment, *, by=None, actor_label: str = "", note: str = "", report: bool = True
) -> bool:
    """Move a comment to spam; if Akismet had let it through, report it with submit-spam."""
    lock(comment)
    missed = comment.akismet_verdict not in AKISMET_SAID_SPAM
    changed = change_status(comment, Status.SPAM, by=by, actor_label=actor_label, note=note)
    if changed and report and missed:
        schedule_report(comment, AkismetReport.Kind.SPAM, by=by)
    return changed


@transaction.atomic(savepoint=False)
def mark_ham(
    comment: Comment, *, by=None, actor_label: str = "", note: str = "", report: bool = True
) -> bool:
    """Not spam: approve, and if it had been taken for spam, report it with submit-ham."""
    lock(comment)
    mistaken = comment.status == Status.SPAM or comment.akismet_verdict in AKISMET_SAID_SPAM
    changed = approve(comment, by=by, actor_label=actor_label, note=note)
    if changed and report and mistaken:
        schedule_report(comment, AkismetReport.Kind.HAM, by=by)
    return changed
