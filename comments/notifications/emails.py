"""
Emails about comments: to moderators when one is held, to the article's author when one is out,
and to a commenter who asked for them ("Email me replies to this comment") when a reply is out.

The services tell this module what happened through `comments.signals` (`comment_held`,
`comment_published`), inside their transaction; the receivers only schedule a background task
for after the commit, and never raise. The tasks send the mail. Each email is one
`Notification` row per comment and kind: a sent one is never sent again, a failed one is
logged, recorded truthfully in the comment's history, and tried again at the next chance (the
comment approved again, the next digest). A failure never touches the comment.

Every reply email carries a stop link (`stop_url`): a signed, non-expiring token of the parent
comment's id. Following it and pressing the button, or a mail client's one-click unsubscribe
(List-Unsubscribe-Post), turns that comment's `notify_replies` off and nothing else.

Reply emails are double opt-in: ticking the box sends one confirmation email (at most one a
day to an address that has not said yes), and replies are mailed only to a confirmed
`ReplyAddress`. Every email to a reader also carries "stop all" (`stop_all_url`): every
comment's box cleared for that address, and its confirmation with it.
"""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task

from comments import signals
from comments.conf import settings
from comments.models import Comment, CommentEvent, Notification, ReplyAddress
from comments.notifications.tasks import schedule
from comments.screening.verdicts import held_reasons

logger = logging.getLogger(__name__)

MODERATORS_GROUP = "Moderators"
# What the comment's history says of each kind of email.
NOTES = {
    Notification.Kind.HELD: "Moderators emailed: held for review",
    Notification.Kind.DIGEST: "Moderators emailed: in the digest",
    Notification.Kind.PUBLISHED: "Article's author emailed: published",
    Notification.Kind.REPLY: "Parent comment's author emailed: a reply is published",
    Notification.Kind.CONFIRM: "Comment's author emailed: confirm reply emails",
}
# After a held-for-review email, the next waits this long and lists every comment held since.
HELD_BURST = timedelta(minutes=10)
STOPPED_NOTE = "Reply emails stopped by the comment's author (stop link)"
STOP_SALT = "comments.stop-replies"
CONFIRM_SALT = "comments.confirm-replies"
STOP_ALL_SALT = "comments.stop-all-replies"
CONFIRM_LINK_DAYS = 7
# An address that has not said yes gets at most one confirmation email in this time, however
# many comments ask (nobody can mail-bomb someone else's address through the form).
CONFIRM_RESEND_HOURS = 24


# --- Scheduling (told by the services through signals; never raises) ---------------------------


@receiver(signals.comment_held, dispatch_uid="notifications.comment_held")
def _held(sender, *, comment, **kwargs):
    comment_held(comment)


@receiver(signals.comment_published, dispatch_uid="notifications.comment_published")
def _published(sender, *, comment, **kwargs):
    comment_published(comment)


@receiver(signals.reply_emails_asked, dispatch_uid="notifications.reply_emails_asked")
def _reply_emails_asked(sender, *, comment, **kwargs):
    if not address_confirmed(comment.author_email):
        _after_commit(send_reply_confirmation, comment.pk)


def comment_held(comment):
    """A comment waits for moderation: email moderators now, or leave it for the digest."""
    if settings.COMMENTS_NOTIFY_MODERATORS == "each":
        _after_commit(send_held_notice, comment.pk)


def comment_published(comment):
    """A comment is out: email the article's author (unless they wrote it), and for a reply,
    the author of the comment it answers if they asked for it (the task checks that)."""
    if settings.COMMENTS_NOTIFY_AUTHOR:
        _after_commit(send_published_notice, comment.pk)
    if comment.parent_id is not None and _parent_wants_replies(comment):
        _after_commit(send_reply_notice, comment.pk)


def _parent_wants_replies(reply):
    """Did the parent's author tick the box? Most did not: no task is queued for them."""
    if Comment.parent.is_cached(reply):
        return reply.parent.notify_replies
    return Comment.objects.filter(pk=reply.parent_id, notify_replies=True).exists()


def _after_commit(notice_task, comment_id):
    """The email goes out only if the change commits, and is not lost if the web worker dies
    right after the commit (tasks.schedule)."""
    schedule(notice_task, comment_id)


# --- Who and what ------------------------------------------------------------------------------


def moderator_emails():
    """COMMENTS_MODERATORS_EMAILS, or the Moderators group and superusers with an email."""
    if settings.COMMENTS_MODERATORS_EMAILS:
        return list(settings.COMMENTS_MODERATORS_EMAILS)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True))
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(users)


def admin_url(comment):
    return settings.SITE_URL + reverse("admin:comments_comment_change", args=[comment.pk])


def queue_url():
    return settings.SITE_URL + reverse("admin:comments_comment_changelist") + "?status=pending"


def describe(comment):
    """A plain-text summary of a held comment, for moderators."""
    reasons = [
        f"{step.get('step')}: {step.get('reason')}" for step in held_reasons(comment.screening)
    ]
    lines = [
        f"Article: {comment.article.title}",
        f"Author: {comment.author_name} <{comment.author_email or 'no email'}>"
        + (f" from {comment.ip_address}" if comment.ip_address else ""),
    ]
    if comment.parent_id:
        lines.append(f"In reply to: {comment.parent.author_name}")
    if reasons:
        lines.append("Held because: " + "; ".join(reasons))
    lines += ["", Truncator(comment.body).chars(2000), "", f"Moderate it: {admin_url(comment)}"]
    return "\n".join(lines)


def _send(comment, *, kind, subject, body, recipients, headers=None):
    """Send one email of `kind` about `comment` unless it was sent before; record the attempt.

    A failure is logged and recorded (the row FAILED with its error, a history line saying so),
    never raised; the next call tries again. Returns True if the email went out now.
    """
    if not recipients:
        return False
    with transaction.atomic():
        # The row lock makes two workers racing on one email send it once.
        record, _ = Notification.objects.select_for_update().get_or_create(
            comment=comment,
            kind=kind,
            defaults={
                "recipient": Notification.RECIPIENTS[kind],
                "status": Notification.Status.FAILED,
            },
        )
        if record.status == Notification.Status.SENT:
            return False
        record.attempts += 1
        record.recipient_count = len(recipients)
        try:
            EmailMessage(subject, body, None, recipients, headers=headers).send()
        except Exception as error:
            logger.exception("Email about comment %s failed", comment.pk)
            record.status = Notification.Status.FAILED
            record.last_error = f"{error.__class__.__name__}: {error}"
            record.save()
            CommentEvent.objects.record(
                comment,
                kind=CommentEvent.Kind.NOTIFICATION,
                actor_label="email",
                note=f"{NOTES[kind]} FAILED (attempt {record.attempts}): {record.last_error}",
            )
            return False
        record.status = Notification.Status.SENT
        record.sent_at = timezone.now()
        record.last_error = ""
        record.save()
    plural = "s" if len(recipients) != 1 else ""
    CommentEvent.objects.record(
        comment,
        kind=CommentEvent.Kind.NOTIFICATION,
        actor_label="email",
        note=f"{NOTES[kind]} ({len(recipients)} recipient{plural})",
    )
    return True


def _sent(comment, kind):
    return Notification.objects.filter(
        comment=comment, kind=kind, status=Notification.Status.SENT
    ).exists()


def _load(comment_id):
    return Comment.objects.select_related("article__author", "parent").filter(pk=comment_id).first()


# --- Background tasks --------------------------------------------------------------------------


def waits_for_akismet(comment):
    """Held only because Akismet could not be reached, and a recheck is still to come: not
    worth a moderator's attention yet (the recheck approves most of them alone; if it leaves
    the comment held, or gives up, moderation announces it then)."""
    if comment.akismet_verdict != Comment.Akismet.UNCHECKED or not comment.akismet_next_check_at:
        return False
    reasons = held_reasons(comment.screening)
    return bool(reasons) and all(step.get("step") == "akismet" for step in reasons)


def unannounced():
    """Held comments no held-for-review email has told moderators of, oldest first, leaving
    out those still waiting for Akismet."""
    told = Notification.objects.filter(
        kind=Notification.Kind.HELD, status=Notification.Status.SENT
    ).values("comment_id")
    comments = (
        Comment.objects.in_moderation()
        .exclude(pk__in=told)
        .select_related("article", "parent")
        .order_by("created_at")
    )
    return [comment for comment in comments[:200] if not waits_for_akismet(comment)]


def last_held_email_at():
    latest = (
        Notification.objects.filter(kind=Notification.Kind.HELD, status=Notification.Status.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return latest


@task()
def send_held_notice(comment_id):
    """A comment was held: tell moderators, at most one email per HELD_BURST.

    The first held comment after a quiet spell is emailed at once. Those held within the
    following burst window wait, and one email lists them all when the window ends (this
    task deferred to then where the backend can defer, else the scheduler's minute job
    `send_held_notices`). Returns True if an email went out now.
    """
    comment = _load(comment_id)
    if comment is None or comment.status != Comment.Status.PENDING:
        return False  # already moderated (or deleted) by the time the task ran
    if waits_for_akismet(comment) or _sent(comment, Notification.Kind.HELD):
        return False
    last = last_held_email_at()
    if last is not None and timezone.now() - last < HELD_BURST:
        _defer_held_notices(last + HELD_BURST)
        return False
    return send_held_notices() > 0


def _defer_held_notices(when):
    try:
        if send_held_notices_later.get_backend().supports_defer:
            send_held_notices_later.using(run_after=when).enqueue()
    except Exception:
        logger.exception("Could not defer the held-comments email")


def send_held_notices():
    """One email listing every held comment not yet announced (the scheduler's job, and the
    end of a burst); returns how many it listed. Nothing when the last one is too recent."""
    comments = unannounced()
    recipients = moderator_emails()
    if not comments or not recipients:
        return 0
    last = last_held_email_at()
    if last is not None and timezone.now() - last < HELD_BURST:
        return 0  # the burst is still going on: the window's end sends it
    if len(comments) == 1:
        sent = _send(
            comments[0],
            kind=Notification.Kind.HELD,
            subject=f"[{settings.SITE_NAME}] Comment held for review on "
            f"“{comments[0].article.title}”",
            body=describe(comments[0]),
            recipients=recipients,
        )
        return 1 if sent else 0
    total = Comment.objects.in_moderation().count()
    parts = [f"{total} comment{'s' if total != 1 else ''} awaiting moderation: {queue_url()}"]
    parts += [describe(comment) for comment in comments]
    return _send_listing(
        comments,
        kind=Notification.Kind.HELD,
        subject=f"[{settings.SITE_NAME}] {len(comments)} comments held for review",
        body="\n\n----\n\n".join(parts),
        recipients=recipients,
    )


@task()
def send_held_notices_later():
    """`send_held_notices` at the end of a burst window (deferred where the backend can)."""
    return send_held_notices()


def _send_listing(comments, *, kind, subject, body, recipients):
    """Send one email about several comments; record it on each (as `_send` does for one).
    Returns how many comments it told of (0 when the send failed)."""
    error = ""
    try:
        EmailMessage(subject, body, None, recipients).send()
    except Exception as exc:
        logger.exception("Moderation email about %d comments failed", len(comments))
        error = f"{exc.__class__.__name__}: {exc}"
    now = timezone.now()
    plural = "s" if len(recipients) != 1 else ""
    for comment in comments:
        record, _ = Notification.objects.get_or_create(
            comment=comment,
            kind=kind,
            defaults={
                "recipient": Notification.RECIPIENTS[kind],
                "status": Notification.Status.FAILED,
            },
        )
        record.attempts += 1
        record.recipient_count = len(recipients)
        record.status = Notification.Status.FAILED if error else Notification.Status.SENT
        record.last_error = error
        record.sent_at = None if error else now
        record.save()
        note = (
            f"{NOTES[kind]} FAILED: {error}"
            if error
            else f"{NOTES[kind]} ({len(recipients)} recipient{plural}, "
            f"one email listing {len(comments)} comments)"
        )
        CommentEvent.objects.record(
            comment, kind=CommentEvent.Kind.NOTIFICATION, actor_label="email", note=note
        )
    return 0 if error else len(comments)


@task()
def send_published_notice(comment_id):
    comment = _load(comment_id)
    if comment is None or comment.status != Comment.Status.APPROVED:
        return False
    author = comment.article.author
    if author is None or not author.email or comment.user_id == author.pk:
        return False
    if _sent(comment, Notification.Kind.PUBLISHED):
        return False  # approved before, unapproved, approved again: one email is enough
    link = settings.SITE_URL + comment.get_absolute_url()
    body = (
        f"{comment.author_name} commented on “{comment.article.title}”:\n\n"
        f"{Truncator(comment.body).chars(2000)}\n\nRead it on the site: {link}\n"
    )
    return _send(
        comment,
        subject=f"[{settings.SITE_NAME}] New comment on “{comment.article.title}”",
        body=body,
        kind=Notification.Kind.PUBLISHED,
        recipients=[author.email],
    )


# --- Replies, for a commenter who asked for them -------------------------------------------------


def stop_token(comment):
    """The stop link's token for `comment`: its id, signed (it never expires)."""
    return signing.Signer(salt=STOP_SALT).sign(str(comment.pk))


def stop_url(comment):
    return settings.SITE_URL + reverse("comments:stop_replies", args=[stop_token(comment)])


def comment_for_stop_token(token):
    """The comment a stop link names, or None for a token we did not sign (or a deleted one)."""
    try:
        value = signing.Signer(salt=STOP_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not value.isascii() or not value.isdigit():
        return None
    return Comment.objects.select_related("article").filter(pk=int(value)).first()


def stop_reply_notices(comment):
    """No more emails about replies to `comment`; returns False if none were asked for."""
    asked = Comment.objects.filter(pk=comment.pk, notify_replies=True)
    if not asked.update(notify_replies=False):
        return False
    comment.notify_replies = False
    CommentEvent.objects.record(
        comment, kind=CommentEvent.Kind.NOTIFICATION, actor_label="stop link", note=STOPPED_NOTE
    )
    return True


def reply_notice_recipient(reply):
    """The address to tell that `reply` answers their comment, or "" when nobody is to be told.

    Only the parent's author, only if they ticked the box on a comment that is still published
    with an email, and never about their own reply.
    """
    parent = reply.parent
    if parent is None or not parent.notify_replies or parent.status != Comment.Status.APPROVED:
        return ""
    email = parent.author_email.strip()
    if not email or email.casefold() == reply.author_email.strip().casefold():
        return ""
    if not address_confirmed(email):
        return ""  # double opt-in: nothing until the confirmation link was followed
    return email


@task()
def send_reply_notice(comment_id):
    reply = _load(comment_id)
    if reply is None or reply.status != Comment.Status.APPROVED:
        return False
    recipient = reply_notice_recipient(reply)
    if not recipient:
        return False
    if _sent(reply, Notification.Kind.REPLY):
        return False  # approved before, unapproved, approved again: one email is enough
    parent, title = reply.parent, reply.article.title
    stop = stop_url(parent)
    body = (
        f"{reply.author_name} replied to your comment on “{title}”:\n\n"
        f"{Truncator(reply.body).chars(2000)}\n\n"
        f"Read it on the site: {settings.SITE_URL + reply.get_absolute_url()}\n\n"
        f"Your comment began: “{Truncator(parent.body).words(12)}”\n"
        "You get this email because you ticked “Email me replies to this comment”.\n"
        f"Stop emails about replies to that comment: {stop}\n"
        f"Stop all emails about replies to {recipient}: {stop_all_url(recipient)}\n"
    )
    return _send(
        reply,
        subject=f"[{settings.SITE_NAME}] New reply to your comment on “{title}”",
        body=body,
        kind=Notification.Kind.REPLY,
        recipients=[recipient],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def undigested():
    """Held comments no digest has told moderators of yet, oldest first."""
    already = Notification.objects.filter(
        kind=Notification.Kind.DIGEST, status=Notification.Status.SENT
    ).values("comment_id")
    return (
        Comment.objects.in_moderation()
        .exclude(pk__in=already)
        .select_related("article", "parent")
        .order_by("created_at")
    )


@task()
def send_digest():
    """One email listing every held comment not yet in a digest; returns how many it listed.
    A failed send is recorded on each comment and the next digest lists them again."""
    comments = list(undigested()[:200])
    recipients = moderator_emails()
    if not comments or not recipients:
        return 0
    total = Comment.objects.in_moderation().count()
    parts = [f"{total} comment{'s' if total != 1 else ''} awaiting moderation: {queue_url()}"]
    parts += [describe(comment) for comment in comments]
    return _send_listing(
        comments,
        kind=Notification.Kind.DIGEST,
        subject=f"[{settings.SITE_NAME}] {len(comments)} new comment"
        f"{'s' if len(comments) != 1 else ''} held for review",
        body="\n\n----\n\n".join(parts),
        recipients=recipients,
    )


# --- Double opt-in: the confirmation email, and "stop all" -------------------------------------


def address_confirmed(email):
    return bool(email) and ReplyAddress.objects.for_email(email).confirmed().exists()


def reply_address(email):
    """The ReplyAddress row of `email`, made if it is new."""
    address = ReplyAddress.objects.for_email(email).first()
    if address is None:
        address = ReplyAddress.objects.create(email=email.strip())
    return address


def confirm_token(address):
    return signing.dumps(address.pk, salt=CONFIRM_SALT)


def confirm_url(address):
    return settings.SITE_URL + reverse("comments:confirm_replies", args=[confirm_token(address)])


def address_for_confirm_token(token):
    """The address a confirmation link names (None: not ours, or older than its days)."""
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    return ReplyAddress.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def stop_all_token(address):
    return signing.Signer(salt=STOP_ALL_SALT).sign(str(address.pk))


def stop_all_url(email_or_address):
    address = email_or_address
    if not isinstance(address, ReplyAddress):
        address = reply_address(address)
    return settings.SITE_URL + reverse("comments:stop_all_replies", args=[stop_all_token(address)])


def address_for_stop_all_token(token):
    try:
        value = signing.Signer(salt=STOP_ALL_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not value.isascii() or not value.isdigit():
        return None
    return ReplyAddress.objects.filter(pk=int(value)).first()


def confirm_reply_emails(address):
    """The owner followed the link: replies to their comments that asked are mailed from now."""
    if address.confirmed_at is not None:
        return False
    address.confirmed_at = timezone.now()
    address.stopped_at = None
    address.save(update_fields=["confirmed_at", "stopped_at"])
    return True


def stop_all_reply_emails(address):
    """No email about any reply to any comment from this address; returns how many comments
    had asked. The confirmation goes too: asking again means confirming again."""
    with transaction.atomic():
        asked = list(
            Comment.objects.by_email(address.email)
            .filter(notify_replies=True)
            .values_list("pk", flat=True)
        )
        Comment.objects.filter(pk__in=asked).update(notify_replies=False)
        for comment in Comment.objects.filter(pk__in=asked):
            CommentEvent.objects.record(
                comment,
                kind=CommentEvent.Kind.NOTIFICATION,
                actor_label="stop-all link",
                note="Reply emails stopped for every comment from this address (stop-all link)",
            )
        address.confirmed_at = None
        address.stopped_at = timezone.now()
        address.save(update_fields=["confirmed_at", "stopped_at"])
    return len(asked)


@task()
def send_reply_confirmation(comment_id):
    """The one email that asks the owner of the address whether they want reply emails."""
    comment = _load(comment_id)
    if comment is None or not comment.notify_replies or not comment.author_email.strip():
        return False
    address = reply_address(comment.author_email)
    if address.confirmed_at is not None:
        return False
    recent = timezone.now() - timezone.timedelta(hours=CONFIRM_RESEND_HOURS)
    if address.confirmation_sent_at and address.confirmation_sent_at > recent:
        return False  # one confirmation email, not one per comment
    stop_all = stop_all_url(address)
    title = comment.article.title
    body = (
        f"Someone, probably you, commented on “{title}” at {settings.SITE_NAME} with this "
        "address and ticked “Email me replies to this comment”.\n\n"
        f"To get emails about replies, confirm here (the link works for {CONFIRM_LINK_DAYS} "
        f"days): {confirm_url(address)}\n\n"
        "If it was not you, do nothing: without the confirmation no email about replies is "
        "sent to this address.\n"
        f"Never email this address about replies: {stop_all}\n"
    )
    sent = _send(
        comment,
        subject=f"[{settings.SITE_NAME}] Please confirm emails about replies",
        body=body,
        kind=Notification.Kind.CONFIRM,
        recipients=[address.email],
        headers={
            "List-Unsubscribe": f"<{stop_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if sent:
        ReplyAddress.objects.filter(pk=address.pk).update(confirmation_sent_at=timezone.now())
    return sent
