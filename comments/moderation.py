"""
Moderation operations: the only code that changes a comment's status.

Each operation is a plain function with keyword-only arguments, called alike from the admin,
views, tasks and management commands. Each one changes the status, writes a history row,
keeps the article's approved count and thread version right, and schedules what follows
(reports to Akismet, notifications) with `transaction.on_commit`.
"""

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from fitness import page_cache
from fitness.models import Article

from . import threads
from .models import Comment, CommentEvent

Status = Comment.Status


def record_event(comment, *, kind=CommentEvent.Kind.STATUS, by=None, actor_label="", note="",
                 from_status="", to_status=""):  # fmt: skip
    """Append one line to the comment's history."""
    return CommentEvent.objects.create(
        comment=comment,
        kind=kind,
        actor=by if by is not None and by.is_authenticated else None,
        actor_label=actor_label or ("" if by is not None else "system"),
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def refresh_article_counts(article_ids, *, thread_ids=None):
    """Recount approved comments and bump the thread version of the given articles.

    Which threads readers see is recomputed too: for `thread_ids` when the caller knows which
    threads changed, else for every thread of the articles.
    """
    threads.refresh_visibility(thread_ids=thread_ids, article_ids=article_ids)
    approved = (
        Comment.objects.public()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.filter(pk__in=set(article_ids)).update(
        comment_count=Coalesce(Subquery(approved), 0),
        comments_version=F("comments_version") + 1,
    )
    page_cache.invalidate(article_ids)


@transaction.atomic
def change_status(comment, to_status, *, by=None, actor_label="", note=""):
    """Move one comment to `to_status`; returns False (and records nothing) if already there."""
    from_status = comment.status
    if from_status == to_status:
        return False
    comment.status = to_status
    comment.status_changed_at = timezone.now()
    comment.save(update_fields=["status", "status_changed_at", "updated_at"])
    record_event(
        comment,
        by=by,
        actor_label=actor_label,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )
    if Status.APPROVED in (from_status, to_status):
        refresh_article_counts([comment.article_id], thread_ids=[comment.thread_id])
    if to_status == Status.APPROVED:
        from . import notifications

        notifications.comment_published(comment)
    return True


def approve(comment, *, by=None, actor_label="", note=""):
    return change_status(comment, Status.APPROVED, by=by, actor_label=actor_label, note=note)


def unapprove(comment, *, by=None, actor_label="", note=""):
    return change_status(comment, Status.PENDING, by=by, actor_label=actor_label, note=note)


def remove(comment, *, by=None, actor_label="", note=""):
    return change_status(comment, Status.REMOVED, by=by, actor_label=actor_label, note=note)


def restore(comment, *, by=None, actor_label="", note=""):
    """Bring a removed (or spam) comment back to the moderation queue."""
    return change_status(comment, Status.PENDING, by=by, actor_label=actor_label, note=note)


# --- Reclassification, with Akismet told what it got wrong --------------------------------------

AKISMET_SAID_SPAM = {Comment.Akismet.SPAM, Comment.Akismet.BLATANT}


def _schedule_report(comment, kind, *, by):
    """Tell Akismet (after commit, in the background). Never raises."""
    from . import akismet

    akismet.schedule_report(comment, kind, by=by)


@transaction.atomic
def mark_spam(comment, *, by=None, actor_label="", note="", report=True):
    """Move a comment to spam; if Akismet had let it through, report it with submit-spam."""
    missed = comment.akismet_verdict not in AKISMET_SAID_SPAM
    changed = change_status(comment, Status.SPAM, by=by, actor_label=actor_label, note=note)
    if changed and report and missed:
        _schedule_report(comment, "spam", by=by)
    return changed


@transaction.atomic
def mark_ham(comment, *, by=None, actor_label="", note="", report=True):
    """Not spam: approve, and if it had been taken for spam, report it with submit-ham."""
    mistaken = comment.status == Status.SPAM or comment.akismet_verdict in AKISMET_SAID_SPAM
    changed = approve(comment, by=by, actor_label=actor_label, note=note)
    if changed and report and mistaken:
        _schedule_report(comment, "ham", by=by)
    return changed


def recheck(comment, *, by=None):
    """Ask Akismet again now; the status moves through change_status. Returns the verdict."""
    from . import akismet

    return akismet.recheck(comment, by=by)


def announce_new(comment):
    """After a new comment is saved: tell moderators it is held, or the author it is out."""
    from . import notifications

    if comment.status == Status.PENDING:
        notifications.comment_held(comment)
    elif comment.status == Status.APPROVED:
        notifications.comment_published(comment)


OPERATIONS = {
    "approve": approve,
    "unapprove": unapprove,
    "spam": mark_spam,
    "ham": mark_ham,
    "remove": remove,
    "restore": restore,
}


def apply_to_many(operation, comments, *, by=None, note=""):
    """Run one operation on each comment (each in its own transaction); return how many changed."""
    function = OPERATIONS[operation]
    return sum(1 for comment in comments if function(comment, by=by, note=note))
