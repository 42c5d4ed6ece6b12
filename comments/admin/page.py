"""The comment's change page: what it shows beyond the fields (the context, the screening,
Akismet's exchange, the history) and its buttons, made from the operations registry."""

from django.urls import reverse

from comments.admin import actions, people, reported
from comments.admin.views import reply_box
from comments.models import Comment
from comments.screening.verdicts import held_reasons, in_words
from comments.services import moderation
from comments.services.housekeeping import purge_date

Status = Comment.Status
NEXT_OPERATIONS = ("approve", "mark_spam")  # offered "… and next" on a held comment


def page_context(model_admin, request, comment):
    """The change page's context beyond Django's; `comment` None when it does not exist."""
    if comment is None:
        return {"undo_offer": actions.undo_offer(request)}
    return {
        "comment": comment,
        "parent": comment.parent,
        "screening_steps": comment.screening if isinstance(comment.screening, list) else [],
        "held_because": [in_words(step) for step in held_reasons(comment.screening)],
        "akismet_request": sorted((comment.akismet_request or {}).items()),
        "akismet_response": comment.akismet_response or {},
        "history": comment.history.select_related("actor"),
        "reports": reported.comment_reports(comment),
        "purge_date": purge_date(comment),
        "moderation_buttons": moderation_buttons(model_admin, request, comment),
        "next_buttons": next_buttons(model_admin, request, comment),
        "edit_url": edit_url(model_admin, request, comment),
        "reply_box": reply_box(model_admin, request, comment),
        "show_save": False,
        "show_save_and_continue": False,
        "show_save_and_add_another": False,
        "undo_offer": actions.undo_offer(request),
        **author_links(model_admin, request, comment),
    }


def author_links(model_admin, request, comment):
    """The author's page and Ban… (comments/admin/people.py), for moderators."""
    if not comment.commenter_id or not model_admin.has_moderate_permission(request):
        return {}
    return {
        "commenter_url": people.commenter_url(comment.commenter_id),
        "ban_url": people.ban_url(comment.commenter_id, comment),
    }


def moderation_buttons(model_admin, request, comment):
    """(operation, label) for each operation that applies to the comment now."""
    if not model_admin.has_moderate_permission(request):
        return []
    return [
        (operation.name, operation.label)
        for operation in moderation.OPERATIONS.values()
        if operation.applies(comment) and operation.allowed(request.user)
    ]


def next_buttons(model_admin, request, comment):
    """ "Approve and next", "Spam and next": for a held comment, to the next held one."""
    if comment.status != Status.PENDING or not model_admin.has_moderate_permission(request):
        return []
    return [
        (operation.name, f"{operation.short} and next")
        for operation in moderation.OPERATIONS.values()
        if operation.name in NEXT_OPERATIONS and operation.applies(comment)
    ]


def edit_url(model_admin, request, comment):
    may_edit = model_admin.has_change_permission(
        request, comment
    ) and model_admin.has_moderate_permission(request)
    return reverse("admin:comments_comment_edit", args=[comment.pk]) if may_edit else ""
