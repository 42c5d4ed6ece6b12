"""
Housekeeping: spam is kept a while (so a mistake can be undone), then deleted.

Spam is deleted COMMENTS_SPAM_RETENTION_DAYS after it became spam; spam Akismet called blatant
after COMMENTS_BLATANT_RETENTION_DAYS. A spam comment with a reply that is not spam stays, so a
purge never takes a legitimate comment with it.
"""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .conf import settings
from .models import Comment

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


def purgeable(now=None):
    """Spam whose time is up, minus any with a reply that is not spam."""
    now = now or timezone.now()
    spam_cutoff = now - timedelta(days=settings.COMMENTS_SPAM_RETENTION_DAYS)
    blatant_cutoff = now - timedelta(days=settings.COMMENTS_BLATANT_RETENTION_DAYS)
    keeps_a_reply = Comment.objects.filter(path__startswith=OuterRef("path")).exclude(
        status=Status.SPAM
    )
    return (
        Comment.objects.spam()
        .filter(
            Q(status_changed_at__lt=spam_cutoff)
            | Q(akismet_verdict=Comment.Akismet.BLATANT, status_changed_at__lt=blatant_cutoff)
        )
        .exclude(Exists(keeps_a_reply))
    )


def purge_spam(now: datetime | None = None) -> int:
    """Delete the spam whose retention has passed; returns how many comments were deleted."""
    ids = list(purgeable(now).values_list("pk", flat=True))
    if not ids:
        return 0
    Comment.objects.filter(pk__in=ids).delete()
    return len(ids)
