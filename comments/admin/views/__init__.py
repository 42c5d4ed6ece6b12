"""The moderation admin's own views, each a small class on `base.CommentView`; `urls()` gives
their addresses to `CommentAdmin.get_urls` (the change page's buttons post to the change page
itself, which hands them to `ModerateView`), and the changelist's bulk actions
(`operation_action`) answer the same way."""

from django.urls import path

from comments.admin.views.act import ActView, ModerateView
from comments.admin.views.bulk import operation_action
from comments.admin.views.edit import EditView, inline_editor
from comments.admin.views.email_action import EmailActionView
from comments.admin.views.insights import InsightsView
from comments.admin.views.people import BanView, LiftView, NoteView, TrustView
from comments.admin.views.reply import REPLY_FIELD, ReplyView, reply_box
from comments.admin.views.undo import UndoView

__all__ = [
    "REPLY_FIELD",
    "ModerateView",
    "commenter_urls",
    "inline_editor",
    "operation_action",
    "reply_box",
    "urls",
]


def urls(model_admin):
    """Before the admin's catch-all "<path:object_id>/"."""

    def view(cls):
        return model_admin.admin_site.admin_view(cls.as_view(model_admin=model_admin))

    return [
        path("<path:object_id>/reply/", view(ReplyView), name="comments_comment_reply"),
        path("<path:object_id>/act/", view(ActView), name="comments_comment_act"),
        path("<path:object_id>/edit/", view(EditView), name="comments_comment_edit"),
        path("undo/<str:token>/", view(UndoView), name="comments_comment_undo"),
        path(
            "email/<str:operation>/<str:token>/",
            view(EmailActionView),
            name="comments_comment_email_action",
        ),
        path("insights/", view(InsightsView), name="comments_comment_insights"),
    ]


def commenter_urls(model_admin):
    """A commenter's own views (`CommenterAdmin`), before the admin's catch-all."""

    def view(cls):
        return model_admin.admin_site.admin_view(cls.as_view(model_admin=model_admin))

    return [
        path("<path:object_id>/ban/", view(BanView), name="comments_commenter_ban"),
        path("<path:object_id>/lift/<int:ban_id>/", view(LiftView), name="comments_commenter_lift"),
        path("<path:object_id>/note/", view(NoteView), name="comments_commenter_note"),
        path("<path:object_id>/trust/", view(TrustView), name="comments_commenter_trust"),
    ]
