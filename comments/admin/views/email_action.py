"""
An Approve, Spam or Remove link from the moderators' email (`notifications.action_links`):
`email/<operation>/<token>/` in the admin, so its login comes first.

GET shows the comment and one button, and changes nothing; POST runs the operation through
the registry (`actions.perform`) as the moderator, with the status the email saw, so a comment
someone moved meanwhile is left alone. A link for another moderator, an expired or altered
one, or one for a comment that has moved on is refused with words that say so.
"""

from django.contrib import messages
from django.template.response import TemplateResponse
from django.urls import reverse

from comments.admin import actions
from comments.admin.views.base import CommentView
from comments.models import CommentEvent
from comments.notifications import action_links
from comments.services import moderation

OTHER_MODERATOR = (
    "This link was sent to another moderator. Open the comment in the admin to moderate it."
)
NO_LONGER = "This comment no longer exists."
NOT_ALLOWED = "You may not do this to comments."


class EmailActionView(CommentView):
    """The confirmation page (GET) and the one button's action (POST)."""

    http_method_names = ["get", "post"]

    def dispatch(self, request, operation, token):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request)
        self.object, self.operation = None, moderation.OPERATIONS.get(operation)
        try:
            link = action_links.read(operation, token)
        except action_links.Refused as refused:
            return self.page(refusal=str(refused), status=400)
        if link.moderator_id != request.user.pk:
            return self.page(refusal=OTHER_MODERATOR, status=403)
        self.object = self.model_admin.get_object(request, str(link.comment_id))
        if self.object is None:
            return self.page(refusal=NO_LONGER, status=404)
        if not (self.has_permission() and self.operation.allowed(request.user)):
            return self.page(refusal=NOT_ALLOWED, status=403)
        if self.object.status != link.status:
            return self.page(refusal=moved_on(self.object), status=409)
        self.link = link
        return super(CommentView, self).dispatch(request, operation=operation, token=token)

    def get(self, request, operation, token):
        return self.page()

    def post(self, request, operation, token):
        outcome = actions.perform(
            self.model_admin, request, self.operation.name, [self.object], expected=self.link.status
        )
        self.object.refresh_from_db()
        if outcome.level != messages.SUCCESS:
            return self.page(refusal=outcome.message, status=409)
        return self.page(done=outcome.message, undo_url=actions.undo_url(outcome.undo))

    def page(self, *, refusal="", done="", undo_url="", status=200):
        request, comment, operation = self.request, self.object, self.operation
        verb = operation.short if operation else "Moderate"
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": f"{verb} this comment?"
            if not (refusal or done)
            else f"{verb}: {comment_name(comment)}",
            "opts": self.model_admin.opts,
            "comment": comment,
            "operation": operation,
            "refusal": refusal,
            "done": done,
            "undo_url": undo_url,
            "queue_url": reverse("admin:comments_comment_changelist") + "?status=pending",
        }
        return TemplateResponse(
            request, "admin/comments/comment/email_action.html", context, status=status
        )


def comment_name(comment):
    return f"the comment by {comment.author_name}" if comment is not None else "a comment"


def moved_on(comment):
    """ "This comment was already approved by alice." (or "… has moved on" without a name)."""
    done = actions.DONE_TO.get(comment.status, comment.status)
    last = (
        CommentEvent.objects.filter(comment=comment, kind=CommentEvent.Kind.STATUS)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    who = ""
    if last is not None:
        who = last.actor.get_username() if last.actor else last.actor_label
    by = f" by {who}" if who else ""
    return f"This comment has moved on since the email: it was {done}{by}. Nothing was changed."
