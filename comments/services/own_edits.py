"""
The writer edits or deletes their own comment, from the browser that sent it, within
COMMENTS_EDIT_MINUTES of sending it.

    result = edit_own_comment(comment, body=text, request=request)
                    -> the new text, screened again (`rules.EDIT_STEPS`) before it is saved:
                       a hold sends a published comment back to the queue, spam to spam
    result = delete_own_comment(comment, request=request)
                    -> removed (its replies keep their place), recorded
    result = restore_own_comment(comment, request=request)
                    -> the writer's own deletion undone, while the window lasts: the comment
                       goes back to the status it had (published or held), recorded
    result.refusal  -> not this browser, or too late: nothing changed

All three change the comment through `comments.services.status`, with a history line by "its
writer". A deleted comment is never lost: it stays, removed, with its history; a moderator can
restore it at any time, its writer until the edit window closes.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from comments import signals
from comments.conf import settings
from comments.models import Comment, CommentEvent
from comments.readers.cookies import editable_ids
from comments.screening import akismet, rules
from comments.screening import pipeline as screening
from comments.services.counts import refresh_article_counts
from comments.services.posting import PostResult, request_context
from comments.services.status import change_status, lock, remove
from comments.threads.rendering import render_body

Status = Comment.Status
AUTHOR_LABEL = "its writer"
EDIT_FIELDS = ["body", "body_html", "screening", *akismet.AKISMET_FIELDS]
EDIT_STATUSES = (Status.APPROVED, Status.PENDING)
DELETE_NOTE = "Removed by its writer."
RESTORE_NOTE = "Deletion undone by its writer."
RESTORE_CLOSED = (
    "This deletion can no longer be undone: a writer may undo it for {minutes} minutes after "
    "the comment was sent, from the browser that sent it."
)
EDIT_CLOSED = (
    "This comment can no longer be changed: a comment may be changed for {minutes} minutes "
    "after it was sent, from the browser that sent it."
)


def edit_deadline(comment: Comment):
    return comment.created_at + timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)


def edit_refusal(comment: Comment, request) -> str:
    """Why this browser may not edit or delete `comment` now, or "" when it may.

    The proof is the signed cookie of the comments this browser sent in the window
    (comments.readers.cookies); the window is counted from the comment's own date.
    """
    closed = EDIT_CLOSED.format(minutes=settings.COMMENTS_EDIT_MINUTES)
    if comment.pk not in editable_ids(request):
        return closed
    if comment.status not in EDIT_STATUSES or timezone.now() >= edit_deadline(comment):
        return closed
    return ""


def edit_own_comment(comment: Comment, *, body: str, request) -> PostResult:
    """The writer's new text, screened again before it is saved (outside any transaction:
    Akismet may take its timeout), rendered, and recorded with the old text.

    The edit is screened by `rules.EDIT_STEPS`; a hold sends a published comment back to the
    queue and spam sends it to spam; a clean edit keeps the status it had (a held comment is
    still for a moderator to approve).
    """
    refusal = edit_refusal(comment, request)
    if refusal:
        return PostResult(refusal=refusal)
    if body == comment.body:
        # Saved unchanged, or the same edit sent again (nginx passes on a post whose process
        # died): nothing to screen or record.
        return PostResult(comment=comment)
    old_body = comment.body
    context = request_context(request)
    comment.body = body
    comment.akismet_verdict = Comment.Akismet.NOT_CHECKED
    decision = screening.screen(comment, context, steps=rules.EDIT_STEPS)
    comment.body_html = render_body(body)
    # A clean edit keeps the status; a hold or spam verdict moves the comment.
    clean = decision.status == Status.APPROVED
    to_status = comment.status if clean else decision.status
    note = f"Edited by its writer and screened again: {decision.summary}"
    record_own_edit(comment, old_body=old_body, to_status=to_status, note=note)
    return PostResult(comment=comment, decision=decision)


@transaction.atomic
def record_own_edit(comment: Comment, *, old_body: str, to_status: str, note: str) -> bool:
    """Save the writer's new text (already screened again and rendered on `comment`), with a
    history line that keeps the text before; move it to `to_status` when the new screening
    says so (a published comment whose edit trips a rule goes back to the queue, or to spam).

    Returns True when the status changed.
    """
    comment.save(update_fields=EDIT_FIELDS)
    CommentEvent.objects.record(
        comment,
        kind=CommentEvent.Kind.EDIT,
        actor_label=AUTHOR_LABEL,
        note=f"{note}\nThe text before the edit:\n{old_body}",
        from_status=comment.status,
        to_status=comment.status,
    )
    if comment.akismet_verdict == Comment.Akismet.UNCHECKED and comment.akismet_next_check_at:
        signals.akismet_recheck_due.send(
            sender=Comment, comment=comment, when=comment.akismet_next_check_at
        )
    changed = change_status(comment, to_status, actor_label=AUTHOR_LABEL, note=note)
    if changed and to_status == Status.PENDING:
        signals.comment_held.send(sender=Comment, comment=comment)  # moderators are told
    if not changed and comment.is_public:
        # The same status, a new text: readers must see it (counts, thread and page caches).
        refresh_article_counts([comment.article_id], thread_ids=[comment.thread_id])
    return changed


def delete_own_comment(comment: Comment, *, request) -> PostResult:
    """The writer deletes their own comment within the window: removed (its replies keep
    their place), recorded."""
    refusal = edit_refusal(comment, request)
    if refusal:
        return PostResult(refusal=refusal)
    remove(comment, actor_label=AUTHOR_LABEL, note=DELETE_NOTE)
    return PostResult(comment=comment)


def writer_deletion(comment: Comment) -> CommentEvent | None:
    """The history line of the writer's own deletion, when that is what last moved the comment
    (a moderator's later decision, or none at all, gives None)."""
    if comment.status != Status.REMOVED:
        return None
    last = (
        comment.history.filter(kind=CommentEvent.Kind.STATUS, to_status=Status.REMOVED)
        .exclude(from_status=Status.REMOVED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None or last.actor_label != AUTHOR_LABEL or last.actor_id is not None:
        return None
    return last


def restore_refusal(comment: Comment, request) -> str:
    """Why this browser may not undo the deletion of `comment` now, or "" when it may: the
    same proof and window as an edit, and the comment removed by its writer, not a moderator."""
    closed = RESTORE_CLOSED.format(minutes=settings.COMMENTS_EDIT_MINUTES)
    if comment.pk not in editable_ids(request) or timezone.now() >= edit_deadline(comment):
        return closed
    if writer_deletion(comment) is None:
        return closed
    return ""


@transaction.atomic
def restore_own_comment(comment: Comment, *, request) -> PostResult:
    """The writer undoes their own deletion within the window: the comment goes back to the
    status it had before (published, or still held for a moderator), recorded."""
    lock(comment)  # a moderator acting at the same time is served first, or after
    refusal = restore_refusal(comment, request)
    if refusal:
        return PostResult(refusal=refusal)
    deletion = writer_deletion(comment)
    to_status = deletion.from_status if deletion.from_status in EDIT_STATUSES else Status.PENDING
    change_status(comment, to_status, actor_label=AUTHOR_LABEL, note=RESTORE_NOTE)
    return PostResult(comment=comment)
