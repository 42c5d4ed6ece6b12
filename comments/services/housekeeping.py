"""
Housekeeping: spam is kept a while (so a mistake can be undone), then deleted.

Spam is deleted COMMENTS_SPAM_RETENTION_DAYS after it became spam; spam Akismet called blatant
after COMMENTS_BLATANT_RETENTION_DAYS. A spam comment with a reply that is not spam is not
deleted, so a purge never takes a legitimate comment with it; but what it holds of the spammer
(text, name, email, website, IP, user agent, referrer, the Akismet copy's personal fields) is
erased at the same time, and the empty row stays only as the placeholder the reply hangs from.
The privacy page says so (tests/comments/services/test_housekeeping.py holds it to that).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from comments.conf import settings
from comments.models import Comment
from comments.services import privacy

Status = Comment.Status


def retention(comment):
    """How long this spam comment is kept."""
    if comment.akismet_verdict == Comment.Akismet.BLATANT:
        return timedelta(days=settings.COMMENTS_BLATANT_RETENTION_DAYS)
    return timedelta(days=settings.COMMENTS_SPAM_RETENTION_DAYS)


def purge_date(comment) -> datetime | None:
    """When a spam comment will be deleted (None if it is not spam)."""
    if comment.status != Status.SPAM:
        return None
    return comment.status_changed_at + retention(comment)


SPAM_REMOVED_TEXT = "[spam, deleted]"
EMPTIED_NOTE = "Spam past its retention: its text and the spammer's details erased; kept only "
EMPTIED_NOTE += "as the placeholder a reply that is not spam hangs from."


def _expired_spam(now):
    spam_cutoff = now - timedelta(days=settings.COMMENTS_SPAM_RETENTION_DAYS)
    blatant_cutoff = now - timedelta(days=settings.COMMENTS_BLATANT_RETENTION_DAYS)
    return Comment.objects.spam().filter(
        Q(status_changed_at__lt=spam_cutoff)
        | Q(akismet_verdict=Comment.Akismet.BLATANT, status_changed_at__lt=blatant_cutoff)
    )


def _keeps_a_reply():
    return Exists(
        Comment.objects.filter(path__startswith=OuterRef("path")).exclude(status=Status.SPAM)
    )


def purgeable(now=None):
    """Spam whose time is up, minus any with a reply that is not spam."""
    return _expired_spam(now or timezone.now()).exclude(_keeps_a_reply())


def kept_as_placeholders(now=None):
    """Spam whose time is up but which a reply that is not spam hangs from, not yet emptied."""
    return _expired_spam(now or timezone.now()).filter(_keeps_a_reply(), erased_at__isnull=True)


@transaction.atomic
def empty_kept_spam(now: datetime | None = None) -> int:
    """Erase what expired spam kept for its replies holds of the spammer; returns how many."""
    now = now or timezone.now()
    comments = list(kept_as_placeholders(now).select_for_update())
    for comment in comments:
        privacy.erase_comment(
            comment,
            remove_text=True,
            removed_text=SPAM_REMOVED_TEXT,
            now=now,
            note=EMPTIED_NOTE,
            actor_label="housekeeping",
        )
    return len(comments)


def purge_spam(now: datetime | None = None) -> int:
    """Delete the spam whose retention has passed, and empty the spam kept as placeholders;
    returns how many comments were deleted."""
    now = now or timezone.now()
    empty_kept_spam(now)
    ids = list(purgeable(now).values_list("pk", flat=True))
    if not ids:
        return 0
    Comment.objects.filter(pk__in=ids).delete()
    return len(ids)
