"""Undo: `undo/<token>/` takes back the action the token was kept for (`actions.remember_undo`),
from its message's Undo button (a form) or the queue's "z" key (the script)."""

from django.contrib import messages

from comments.admin import actions
from comments.admin.views.base import CommentView
from comments.models import Ban, Comment
from comments.services import moderation


class UndoView(CommentView):
    """The "object" is the action kept under the token: its steps and its message."""

    def get_object(self, token):
        return actions.undo_entry(self.request, token)

    def not_found(self, token):
        actions.forget_undo(self.request, token)
        message = "Nothing to undo (already undone?)."
        return self.respond(message, messages.WARNING, then=self.next_url(), rows=[], counts=True)

    def post(self, request, token):
        actions.forget_undo(request, token)
        steps = self.object["steps"]
        # A ban made with the action (comments.services.bans) is one of its steps: lifted.
        made = Ban.objects.active().filter(pk__in=[s["ban"] for s in steps if "ban" in s])
        bans = list(made.select_related("commenter"))
        lifted = len(bans)
        undone = moderation.undo(steps, by=request.user) - lifted
        actions.log_lifted(self.model_admin, request, bans, undo=True)
        steps = [step for step in steps if "ban" not in step]
        pks = [step["pk"] for step in steps]
        comments = list(Comment.objects.filter(pk__in=pks).select_related("article", "parent"))
        actions.log(self.model_admin, request, comments, f"Undo of “{self.object['message']}”")
        message = actions.undo_message(undone, len(steps))
        if lifted:
            message += f" {lifted} ban{'s' if lifted != 1 else ''} lifted."
        return self.respond(
            message,
            messages.SUCCESS if undone or lifted else messages.WARNING,
            then=self.next_url(),
            rows=comments,
            counts=True,
        )
