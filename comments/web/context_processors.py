"""The number of comments awaiting moderation, for staff: the site header and the admin index."""

from functools import cache

from django.urls import reverse

from comments.models import Comment
from comments.screening import akismet


def moderation(request):
    """For staff who may see comments: `pending_comments` (counted only if a template shows
    it, at most once), `moderation_url` (the queue) and `akismet_warnings` (for the owner)."""
    user = getattr(request, "user", None)
    if not (user and user.is_active and user.is_staff and user.has_perm("comments.view_comment")):
        return {}

    @cache
    def pending_comments():
        return Comment.objects.in_moderation().count()

    return {
        "pending_comments": pending_comments,
        "moderation_url": reverse("admin:comments_comment_changelist") + "?status=pending",
        "akismet_warnings": akismet.owner_warnings,
    }
