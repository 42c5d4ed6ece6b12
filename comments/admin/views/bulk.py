"""
The changelist's bulk action for each registered operation: Django's own action path (the
rows' checkboxes, the action menu, Go), which the queue's script also takes for the rows a
moderator selected by keyboard (static/js/admin-queue.js: select the page, then the
operation's key).

Each runs the operation through `actions.perform`, like a row's button: the comments' history,
the admin's log and one undo for the whole selection. A page gets the message and Django's
redirect back to the same view; the script gets JSON with the selected rows redrawn.
"""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import JsonResponse

from comments.admin import actions
from comments.admin.views.base import is_fetch, json_answer
from comments.models import Comment


def operation_action(operation):
    """The bulk action running `operation`; its name is the operation's (the change page's
    buttons and the script post that name)."""

    def action(model_admin, request, queryset):
        outcome = actions.perform(model_admin, request, operation.name, list(queryset))
        if not is_fetch(request):
            model_admin.message_user(request, outcome.message, outcome.level)
            return None  # Django redirects back to the same view of the queue
        # Every row the moderator selected is redrawn, those the view no longer holds (another
        # moderator moved them meanwhile) too.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        rows = Comment.objects.filter(pk__in=selected).select_related("article", "parent")
        answer = json_answer(
            model_admin,
            request,
            outcome.message,
            outcome.level,
            rows=list(rows),
            undo=outcome.undo,
            counts=True,
        )
        return JsonResponse(answer)

    action.__name__ = operation.name
    return admin.action(description=operation.label, permissions=["moderate"])(action)
