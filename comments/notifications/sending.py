"""
Sending one email about a comment, once, and the signed links in it: what every email module
here shares.

Each email is one `Notification` row per comment and kind: a sent one is never sent again, a
failed one is logged, recorded truthfully in the comment's history, and tried again at the next
chance (the comment approved again, the next digest). A failure never raises and never touches
the comment.
"""

import logging

from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from comments.models import Comment, CommentEvent, Notification

logger = logging.getLogger("comments.notifications")  # one name for every email module

# What the comment's history says of each kind of email.
NOTES = {
    Notification.Kind.HELD: "Moderators emailed: held for review",
    Notification.Kind.DIGEST: "Moderators emailed: in the digest",
    Notification.Kind.PUBLISHED: "Article's author emailed: published",
    Notification.Kind.REPLY: "Parent comment's author emailed: a reply is published",
    Notification.Kind.CONFIRM: "Comment's author emailed: confirm reply emails",
    Notification.Kind.APPROVED: "Comment's author emailed: published after review",
    Notification.Kind.REMOVED: "Comment's author emailed: removed, and why",
}


def send_once(comment, *, kind, subject, body, recipients, headers=None):
    """Send one email of `kind` about `comment` unless it was sent before; record the attempt.

    `body` is the text, or a function of one recipient's address giving theirs (then each
    recipient gets an email of their own: `send_messages`).
    A failure is logged and recorded (the row FAILED with its error, a history line saying so),
    never raised; the next call tries again. Returns True if the email went out now.

    The row that says it was sent and the history line that says so are saved together: a
    worker that dies before that commit leaves the email to be sent again (twice rather than
    never), never a sent email the comment's history does not tell of.
    """
    if not recipients:
        return False
    with transaction.atomic():
        # The row lock makes two workers racing on one email send it once.
        record = notification_row(comment, kind, lock=True)
        if record.status == Notification.Status.SENT:
            return False
        try:
            send_messages(subject, body, recipients, headers=headers)
        except Exception as error:
            logger.exception("Email about comment %s failed", comment.pk)
            record_attempt(record, recipients, error=f"{error.__class__.__name__}: {error}")
            record_in_history(
                comment,
                f"{NOTES[kind]} FAILED (attempt {record.attempts}): {record.last_error}",
            )
            return False
        record_attempt(record, recipients)
        plural = "s" if len(recipients) != 1 else ""
        record_in_history(comment, f"{NOTES[kind]} ({len(recipients)} recipient{plural})")
    return True


def send_messages(subject, body, recipients, *, headers=None):
    """One email to every recipient, or (`body` a function of the address) one each."""
    if not callable(body):
        EmailMessage(subject, body, None, recipients, headers=headers).send()
        return
    messages = [EmailMessage(subject, body(to), None, [to], headers=headers) for to in recipients]
    get_connection().send_messages(messages)


def notification_row(comment, kind, *, lock=False) -> Notification:
    """The comment's one row for emails of `kind`, made (failed until one is sent) if new;
    `lock`: locked until the transaction ends."""
    rows = Notification.objects.select_for_update() if lock else Notification.objects
    record, _ = rows.get_or_create(
        comment=comment,
        kind=kind,
        defaults={
            "recipient": Notification.RECIPIENTS[kind],
            "status": Notification.Status.FAILED,
        },
    )
    return record


def record_attempt(record: Notification, recipients, *, error: str = "", now=None) -> None:
    """One more attempt on the row: sent (at `now`), or failed with its `error`."""
    record.attempts += 1
    record.recipient_count = len(recipients)
    record.status = Notification.Status.FAILED if error else Notification.Status.SENT
    record.last_error = error
    record.sent_at = None if error else now or timezone.now()
    record.save()


def record_in_history(comment, note: str) -> None:
    CommentEvent.objects.record(
        comment, kind=CommentEvent.Kind.NOTIFICATION, actor_label="email", note=note
    )


def already_sent(comment, kind) -> bool:
    return Notification.objects.filter(
        comment=comment, kind=kind, status=Notification.Status.SENT
    ).exists()


def sign_id(pk: int, *, salt: str) -> str:
    """A link's token naming a row: its id, signed with `salt` (it never expires)."""
    return signing.Signer(salt=salt).sign(str(pk))


def unsign_id(token: str, *, salt: str) -> int | None:
    """The id a `sign_id` token names, or None for a token we did not sign."""
    try:
        value = signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        return None
    if not value.isascii() or not value.isdigit():
        return None
    return int(value)


def load_comment(comment_id):
    """The comment a task is about, with what its email shows (None: deleted since)."""
    return Comment.objects.select_related("article__author", "parent").filter(pk=comment_id).first()
