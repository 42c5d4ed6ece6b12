"""
A moderator's reply from the admin (`posting.post_staff_reply`): the change page's reply box
(`reply_box`) posts to `<id>/reply/`. A row's "Reply" link opens that box with
`?return_to=changelist`, and the reply then goes back to the queue.

A refused reply goes back to the box with the text kept (in the session, shown once).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.urls import reverse
from django.utils.html import format_html

from comments.admin.cells import REPLY_BOX_ID, RETURN_TO_CHANGELIST
from comments.admin.views.base import CommentView, is_fetch
from comments.conf import settings
from comments.models import Comment
from comments.readers.people import display_name
from comments.services import posting

DRAFT_SESSION_KEY = "comments:reply-draft:{pk}"
REPLY_FIELD = "reply"  # the reply's text in the POST (change_form.html's box, the queue's)


class ReplyView(CommentView):
    """`<id>/reply/`: for those who may change comments (approving a held one by replying
    also needs the moderation permission: `posting.reply_refusal` says so). The queue's reply
    box in a row (the script) gets JSON: the row redrawn, the counts, the reply's address."""

    def has_permission(self):
        return self.model_admin.has_change_permission(self.request, self.object)

    def post(self, request, object_id):
        comment, text = self.object, request.POST.get(REPLY_FIELD, "")
        back_to_queue = request.POST.get("return_to", "") == RETURN_TO_CHANGELIST
        was_held = comment.status == Comment.Status.PENDING
        result = posting.post_staff_reply(comment, body=text, by=request.user)
        change_url = reverse("admin:comments_comment_change", args=[comment.pk])
        if result.refusal and is_fetch(request):
            return self.respond(result.refusal, messages.ERROR, then=change_url)  # text kept
        if result.refusal:
            draft = {"text": text, "error": result.refusal}
            request.session[DRAFT_SESSION_KEY.format(pk=comment.pk)] = draft
            if back_to_queue:
                change_url += "?" + urlencode({"return_to": RETURN_TO_CHANGELIST})
            then = with_filters(self.model_admin, request, change_url) + f"#{REPLY_BOX_ID}"
            return self.respond(result.refusal, messages.ERROR, then=then)
        done = (
            "Comment approved and your reply published." if was_held else "Your reply is published."
        )
        link = result.comment.get_absolute_url()
        if is_fetch(request):
            comment.refresh_from_db()
            return self.respond(done, then=link, row=comment, counts=True, see_url=link)
        message = format_html('{} <a href="{}">See it on the site</a>.', done, link)
        then = reverse("admin:comments_comment_changelist") if back_to_queue else change_url
        return self.respond(message, then=with_filters(self.model_admin, request, then))


def reply_box(model_admin, request, comment):
    """The change page's reply box: where it posts, its button, why it may not, the draft a
    refused reply left behind. None for those who may not change comments."""
    if not model_admin.has_change_permission(request, comment):
        return None
    draft = request.session.pop(DRAFT_SESSION_KEY.format(pk=comment.pk), None) or {}
    url = reverse("admin:comments_comment_reply", args=[comment.pk])
    return_to = request.GET.get("return_to", "")
    return {
        "url": with_filters(model_admin, request, url),
        "label": "Approve and reply" if comment.status == Comment.Status.PENDING else "Reply",
        "author_name": display_name(request.user),
        "max_length": settings.COMMENTS_MAX_LENGTH,
        "refusal": posting.reply_refusal(comment, by=request.user),
        "text": draft.get("text", ""),
        "error": draft.get("error", ""),
        "return_to": return_to if return_to == RETURN_TO_CHANGELIST else "",
    }


def with_filters(model_admin, request, url):
    """`url` carrying the queue's filters the moderator came from (`_changelist_filters`)."""
    preserved = model_admin.get_preserved_filters(request)
    return add_preserved_filters({"preserved_filters": preserved, "opts": model_admin.opts}, url)
