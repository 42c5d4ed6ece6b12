"""
Emails about replies, for a commenter who ticked "Email me replies to this comment" and
confirmed their address (`comments.notifications.optin`).

Every reply email carries a stop link (`stop_url`): a signed, non-expiring token of the parent
comment's id. Following it and pressing the button, or a mail client's one-click unsubscribe
(List-Unsubscribe-Post), turns that comment's `notify_replies` off and nothing else. It also
carries "stop all" (`optin.stop_all_url`): every comment's box cleared for that address.
"""

from django.urls import reverse
from django.utils.text import Truncator
from django_tasks import task

from comments.conf import settings
from comments.models import Comment, CommentEvent, Notification
from comments.notifications.optin import address_confirmed, stop_all_url
from comments.notifications.sending import (
    already_sent,
    load_comment,
    send_once,
    sign_id,
    unsign_id,
)

STOPPED_NOTE = "Reply emails stopped by the comment's author (stop link)"
STOP_SALT = "comments.stop-replies"


def stop_token(comment):
    """The stop link's token for `comment`: its id, signed (it never expires)."""
    return sign_id(comment.pk, salt=STOP_SALT)


def stop_url(comment):
    return settings.SITE_URL + reverse("comments:stop_replies", args=[stop_token(comment)])


def comment_for_stop_token(token):
    """The comment a stop link names, or None for a token we did not sign (or a deleted one)."""
    pk = unsign_id(token, salt=STOP_SALT)
    return None if pk is None else Comment.objects.select_related("article").filter(pk=pk).first()


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


def parent_wants_replies(reply):
    """Did the parent's author tick the box? Most did not: no task is queued for them."""
    if not settings.COMMENTS_REPLY_EMAILS:
        return False  # the site owner turned reply emails off (Site settings › Discussion)
    if Comment.parent.is_cached(reply):
        return reply.parent.notify_replies
    return Comment.objects.filter(pk=reply.parent_id, notify_replies=True).exists()


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
    reply = load_comment(comment_id)
    if reply is None or reply.status != Comment.Status.APPROVED:
        return False
    recipient = reply_notice_recipient(reply)
    if not recipient:
        return False
    if already_sent(reply, Notification.Kind.REPLY):
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
    return send_once(
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
