"""
Reply emails (and "Email me when my comment is published") are double opt-in: ticking either
box sends one confirmation email (at most one a day to an address that has not said yes), and
they are mailed only to a confirmed `ReplyAddress`. Every email to a reader also carries "stop
all" (`stop_all_url`): every comment's box cleared for that address, and its confirmation too.
Links name the address's row, signed, never the address.
"""

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from comments.conf import settings
from comments.models import Comment, CommentEvent, Notification, ReplyAddress
from comments.notifications.sending import load_comment, send_once, sign_id, unsign_id

CONFIRM_SALT = "comments.confirm-replies"
STOP_ALL_SALT = "comments.stop-all-replies"
CONFIRM_LINK_DAYS = 7
# An address that has not said yes gets at most one confirmation email in this time, however
# many comments ask (nobody can mail-bomb someone else's address through the form).
CONFIRM_RESEND_HOURS = 24


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
    return sign_id(address.pk, salt=STOP_ALL_SALT)


def stop_all_url(email_or_address):
    address = email_or_address
    if not isinstance(address, ReplyAddress):
        address = reply_address(address)
    return settings.SITE_URL + reverse("comments:stop_all_replies", args=[stop_all_token(address)])


def address_for_stop_all_token(token):
    pk = unsign_id(token, salt=STOP_ALL_SALT)
    return None if pk is None else ReplyAddress.objects.filter(pk=pk).first()


def confirm_reply_emails(address):
    """The owner followed the link: replies to their comments that asked are mailed from now."""
    if address.confirmed_at is not None:
        return False
    address.confirmed_at = timezone.now()
    address.stopped_at = None
    address.save(update_fields=["confirmed_at", "stopped_at"])
    return True


def stop_all_reply_emails(address):
    """No email about any reply to any comment from this address, nor about one being
    published; returns how many comments had asked. The confirmation goes too: asking again
    means confirming again."""
    with transaction.atomic():
        asked = list(
            Comment.objects.by_email(address.email)
            .filter(Q(notify_replies=True) | Q(notify_published=True))
            .values_list("pk", flat=True)
        )
        Comment.objects.filter(pk__in=asked).update(notify_replies=False, notify_published=False)
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
    comment = load_comment(comment_id)
    asked = comment is not None and (comment.notify_replies or comment.notify_published)
    if not asked or not comment.author_email.strip():
        return False
    address = reply_address(comment.author_email)
    if address.confirmed_at is not None:
        return False
    recent = timezone.now() - timezone.timedelta(hours=CONFIRM_RESEND_HOURS)
    if address.confirmation_sent_at and address.confirmation_sent_at > recent:
        return False  # one confirmation email, not one per comment
    stop_all = stop_all_url(address)
    title = comment.article.title
    ticked = " and ".join(
        f"“{label}”"
        for label, asked in [
            ("Email me replies to this comment", comment.notify_replies),
            ("Email me when my comment is published", comment.notify_published),
        ]
        if asked
    )
    body = (
        f"Someone, probably you, commented on “{title}” at {settings.SITE_NAME} with this "
        f"address and ticked {ticked}.\n\n"
        f"To get these emails, confirm here (the link works for {CONFIRM_LINK_DAYS} "
        f"days): {confirm_url(address)}\n\n"
        "If it was not you, do nothing: without the confirmation no email about your "
        "comments is sent to this address.\n"
        f"Never email this address about replies: {stop_all}\n"
    )
    sent = send_once(
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
