"""
Emails to a comment's writer about their comment's fate, each sent once, only to an address its
owner has confirmed (the double opt-in of `optin`) or an account's:

* "Email me when my comment is published": a held comment a moderator approves for the first
  time (`send_approved_notice`), if the writer ticked the box.
* The statement of reasons (EU Digital Services Act, Art. 17): a comment a moderator removed
  (`statement_due`, from the `comment_removed` signal) is emailed its reasons
  COMMENTS_DECISION_EMAIL_MINUTES later by the scheduler's `decision-emails` job
  (`send_due_statements`), so that a removal undone in that time sends nothing. It names the
  grounds (the reasons readers' reports gave, upheld by the moderator) and never a reporter.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task

from comments.conf import settings
from comments.models import Comment, CommentEvent, CommentReport, Notification
from comments.notifications.optin import address_confirmed, stop_all_url
from comments.notifications.sending import (
    already_sent,
    load_comment,
    logger,
    notification_row,
    record_in_history,
    send_once,
)
from comments.services.privacy import contact_email

Status = Comment.Status
Reason = CommentReport.Reason

# The grounds a statement of reasons names for each upheld report's reason.
GROUNDS = {
    Reason.SPAM: "it is spam or advertising",
    Reason.ABUSE: "it harasses or abuses someone",
    Reason.OFF_TOPIC: "it is off-topic for the article",
    Reason.ILLEGAL: "it was notified to us as illegal content, and we found the notice justified",
    Reason.OTHER: "it breaks the site's rules for comments",
}
NO_REPORT_GROUNDS = "it breaks the site's rules for comments"
STATEMENT_ATTEMPTS = 5  # a statement that keeps failing is given up after this many tries


def writer_address(comment) -> str:
    """Where the writer can be told: their account's email, or a confirmed address; else ""."""
    if comment.user_id is not None and comment.user and comment.user.email:
        return comment.user.email
    email = comment.author_email.strip()
    return email if address_confirmed(email) else ""


def comment_link(comment) -> str:
    return settings.SITE_URL + comment.get_absolute_url()


# --- "Email me when my comment is published" ------------------------------------------------


def first_approval(comment) -> bool:
    """Approved once, now, after waiting: not published at once, not published before."""
    approvals = CommentEvent.objects.filter(comment=comment, to_status=Status.APPROVED)
    return approvals.count() == 1 and not approvals.filter(from_status="").exists()


@task()
def send_approved_notice(comment_id):
    """A held comment is published: tell its writer, if they asked and confirmed their address."""
    comment = load_comment(comment_id)
    if comment is None or comment.status != Status.APPROVED or not comment.notify_published:
        return False
    email = comment.author_email.strip()
    if not email or not address_confirmed(email) or not first_approval(comment):
        return False
    if already_sent(comment, Notification.Kind.APPROVED):
        return False
    stop_all = stop_all_url(email)
    title = comment.article.title
    body = (
        f"Your comment on “{title}” is published:\n\n"
        f"{Truncator(comment.body).chars(600)}\n\n"
        f"Read it on the site: {comment_link(comment)}\n\n"
        "You get this email because you ticked “Email me when my comment is published”.\n"
        f"Stop all emails about your comments to {email}: {stop_all}\n"
    )
    return send_once(
        comment,
        subject=f"[{settings.SITE_NAME}] Your comment on “{title}” is published",
        body=body,
        kind=Notification.Kind.APPROVED,
        recipients=[email],
        headers={
            "List-Unsubscribe": f"<{stop_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


# --- The statement of reasons ---------------------------------------------------------------


def statement_due(comment) -> None:
    """A moderator removed the comment: its writer is owed the reasons, sent after the undo
    window (a due row: `Notification` of kind REMOVED, not sent yet). Written in the
    moderator's transaction, in a savepoint of its own: a failure here is logged, and never
    undoes the removal."""
    try:
        with transaction.atomic():
            row = notification_row(comment, Notification.Kind.REMOVED)
            if row.status != Notification.Status.SENT and row.attempts == 0:
                Notification.objects.filter(pk=row.pk).update(created_at=timezone.now())
    except Exception:
        logger.exception("Could not note the reasons due for comment %s", comment.pk)


def upheld_reasons(comment) -> list[str]:
    """The reasons of the readers' reports the removal upheld, most reported first."""
    reasons = CommentReport.objects.filter(
        comment=comment, decision=CommentReport.Decision.REMOVED
    ).values_list("reason", flat=True)
    counted = {}
    for reason in reasons:
        counted[reason] = counted.get(reason, 0) + 1
    return sorted(counted, key=lambda reason: (-counted[reason], reason))


def removal_note(comment) -> str:
    """What the moderator wrote when removing it, if anything (its latest status change)."""
    event = (
        comment.history.filter(kind=CommentEvent.Kind.STATUS, to_status=Status.REMOVED)
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.note.strip() if event and event.actor_id else ""


def statement_of_reasons(comment) -> str:
    """The email's body: what was decided, on what grounds, how, and what the writer can do.
    It names reasons, never who reported."""
    reasons = upheld_reasons(comment)
    grounds = [GROUNDS[reason] for reason in reasons] or [NO_REPORT_GROUNDS]
    how = (
        "Readers reported it, and a moderator reviewed it and agreed."
        if reasons
        else "A moderator reviewed it."
    )
    note = removal_note(comment)
    lines = [
        f"A moderator removed your comment on “{comment.article.title}” at {settings.SITE_NAME}, "
        f"posted on {comment.created_at:%Y-%m-%d}:",
        "",
        f"“{Truncator(comment.body).chars(600)}”",
        "",
        "What we decided: the comment is no longer shown on the site. Replies to it keep their "
        "place. Nothing else about your comments changes.",
        "Why: " + "; ".join(grounds) + ".",
        *([f"The moderator's note: {note}"] if note else []),
        f"How: {how} The decision was taken by a person, not by an automated system.",
        "",
        f"If you think this is a mistake, reply to this email or write to {contact_email()}: "
        "a moderator will look at it again. You may also turn to an out-of-court dispute "
        "settlement body or to a court.",
    ]
    return "\n".join(lines) + "\n"


def due_statements(now=None):
    delay = timedelta(minutes=settings.COMMENTS_DECISION_EMAIL_MINUTES)
    return (
        Notification.objects.filter(
            kind=Notification.Kind.REMOVED,
            status=Notification.Status.FAILED,
            attempts__lt=STATEMENT_ATTEMPTS,
            created_at__lte=(now or timezone.now()) - delay,
        )
        .select_related("comment__article", "comment__user")
        .order_by("created_at")
    )


def send_due_statements(now=None) -> int:
    """The scheduler's job: email each removed comment's writer its reasons, once the undo
    window has passed; a removal undone since is forgotten. Returns how many went out."""
    sent = 0
    for row in due_statements(now)[:200]:
        comment = row.comment
        if comment.status != Status.REMOVED:
            row.delete()  # undone, or restored since: nothing to explain
            continue
        recipient = writer_address(comment)
        if not recipient:
            row.delete()
            record_in_history(
                comment, "Reasons for the removal not emailed: no confirmed address for its writer"
            )
            continue
        sent += send_once(
            comment,
            subject=f"[{settings.SITE_NAME}] Your comment on “{comment.article.title}” was removed",
            body=statement_of_reasons(comment),
            kind=Notification.Kind.REMOVED,
            recipients=[recipient],
        )
    return sent
