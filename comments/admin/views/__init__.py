"""The moderation admin's own views, each a small class on `base.CommentView`; `urls()` gives
their addresses to `CommentAdmin.get_urls` (the change page's buttons post to the change page
itself, which hands them to `ModerateView`)."""

from django.urls import path

from comments.admin.views.act import ActView, ModerateView
from comments.admin.views.edit import EditView, inline_editor
from comments.admin.views.insights import InsightsView
from comments.admin.views.reply import ReplyView, reply_box
from comments.admin.views.undo import UndoView

__all__ = ["ModerateView", "inline_editor", "reply_box", "urls"]


def urls(model_admin):
    """Before the admin's catch-all "<path:object_id>/"."""

    def view(cls):
        return model_admin.admin_site.admin_view(cls.as_view(model_admin=model_admin))

    return [
        path("<path:object_id>/reply/", view(ReplyView), name="comments_comment_reply"),
        path("<path:object_id>/act/", view(ActView), name="comments_comment_act"),
        path("<path:object_id>/edit/", view(EditView), name="comments_comment_edit"),
        path("undo/<str:token>/", view(UndoView), name="comments_comment_undo"),
        path("insights/", view(InsightsView), name="comments_comment_insights"),
    ]
