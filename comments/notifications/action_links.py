"""
The Approve, Spam and Remove links in the moderators' email about a held comment.

A link names one comment, one moderator and the status the email saw, signed by
`django.core.signing` with a salt of its own per operation (an Approve link cannot be turned
into a Remove link), and expires after COMMENTS_EMAIL_LINK_HOURS. It opens a page that asks
to confirm (comments/admin/views/email_action.py): nothing changes on GET; the POST runs the
operation through the registry as that moderator, unless the comment has moved on since.
"""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from comments.conf import settings

# The email's links, in the order it lists them: names of `moderation.OPERATIONS`.
OPERATIONS = ("approve", "mark_spam", "remove")
SALT = "comments.email-action.{operation}"


class Refused(Exception):
    """A link that cannot act: its words say why, to the moderator who opened it."""


EXPIRED = "This link has expired. Open the comment in the admin to moderate it."
NOT_OURS = "This link is not one of ours (it may have been cut short in the email)."


@dataclass(frozen=True)
class ActionLink:
    operation: str
    comment_id: int
    moderator_id: int
    status: str  # the comment's status when the email was sent


def token_for(comment, operation, moderator) -> str:
    """The signed token of `moderator`'s `operation` link for `comment`, as it is now."""
    value = {"c": comment.pk, "m": moderator.pk, "s": comment.status}
    return signing.dumps(value, salt=SALT.format(operation=operation))


def url_for(comment, operation, moderator) -> str:
    """The link's full address (SITE_URL), for an email."""
    path = reverse(
        "admin:comments_comment_email_action",
        args=[operation, token_for(comment, operation, moderator)],
    )
    return settings.SITE_URL + path


def links_for(comment, moderator, labels) -> list[tuple[str, str]]:
    """[(label, url)] of `moderator`'s links for `comment`; `labels`: {operation: label}."""
    return [(labels[name], url_for(comment, name, moderator)) for name in OPERATIONS]


def read(operation, token) -> ActionLink:
    """The link a token is, or `Refused` (expired, altered, another operation's)."""
    if operation not in OPERATIONS:
        raise Refused(NOT_OURS)
    try:
        value = signing.loads(
            token,
            salt=SALT.format(operation=operation),
            max_age=settings.COMMENTS_EMAIL_LINK_HOURS * 3600,
        )
    except signing.SignatureExpired as expired:
        raise Refused(EXPIRED) from expired
    except signing.BadSignature as bad:
        raise Refused(NOT_OURS) from bad
    try:
        return ActionLink(operation, int(value["c"]), int(value["m"]), str(value["s"]))
    except (KeyError, TypeError, ValueError) as bad:
        raise Refused(NOT_OURS) from bad
