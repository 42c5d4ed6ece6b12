"""
One registered operation on one comment: from its row in the queue (`ActView`, a POST to
`<id>/act/`) or from its change page's buttons (`ModerateView`, the change form posted with
`_moderate=<name>` or `_moderate_next=<name>`).

Both run it through `actions.perform` with the status the moderator saw (`expected`), so that
a comment someone else moved meanwhile is left alone ("Already approved by alice").
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from comments.admin import actions
from comments.admin.views.base import CommentView
from comments.models import Comment
from comments.services import moderation


class OperationView(CommentView):
    """The base for a view that runs the operation the request names (`operation_name`)."""

    def has_permission(self):
        name = self.operation_name()
        self.operation = moderation.OPERATIONS.get(name)
        if self.operation is None:
            raise PermissionDenied(f"Unknown operation {name!r}")
        return super().has_permission() and self.operation.allowed(self.request.user)

    def operation_name(self):
        raise NotImplementedError

    def perform(self, expected, note=""):
        comments = [self.object]
        return actions.perform(
            self.model_admin,
            self.request,
            self.operation.name,
            comments,
            expected=expected,
            note=note,
        )


class ActView(OperationView):
    """A row's button or key: back to the queue at the next row, or the row's new cells."""

    def operation_name(self):
        return self.request.POST.get("operation", "")

    def post(self, request, object_id):
        comment, expected = self.object, request.GET.get("expected") or None
        checked_at = comment.akismet_checked_at
        outcome = self.perform(expected)
        rechecking = False
        if self.operation.background:
            comment.refresh_from_db()  # the task changed its own copy
            rechecking = comment.akismet_checked_at == checked_at  # still queued
        return self.respond(
            outcome.message,
            outcome.level,
            then=partial(self.next_url, after=comment, expected=expected),
            undo=outcome.undo,
            row=comment,
            rechecking=rechecking,
            counts=True,
        )


# The change page's reason for a decision: in the history, in the statement of reasons a removed
# comment's writer gets, and in the decision an illegal-content notice's reporter gets.
NOTE_FIELD = "_moderation_note"
NOTE_CHARS = 1000


class ModerateView(OperationView):
    """The change page's buttons (with the moderator's reason, if they wrote one): back to the
    page; "… and next": to the next held comment."""

    def operation_name(self):
        post = self.request.POST
        return post.get("_moderate") or post.get("_moderate_next", "")

    def post(self, request, object_id):
        note = request.POST.get(NOTE_FIELD, "").strip()[:NOTE_CHARS]
        outcome = self.perform(request.POST.get("expected") or None, note)
        if "_moderate_next" not in request.POST:
            return self.respond(outcome.message, outcome.level, then=request.path)
        following = next_held(self.object)
        if following is None:
            empty = [("The queue is empty.", messages.INFO)]
            queue = reverse("admin:comments_comment_changelist") + "?status=pending"
            return self.respond(outcome.message, outcome.level, then=queue, more=empty)
        then = reverse("admin:comments_comment_change", args=[following.pk])
        return self.respond(outcome.message, outcome.level, then=then)


def next_held(comment):
    """The held comment after this one in the queue's order (newest first), else the newest
    held one; None when the queue is empty."""
    held = Comment.objects.in_moderation().exclude(pk=comment.pk).order_by("-created_at")
    return held.filter(created_at__lt=comment.created_at).first() or held.first()
