"""
The one base of the moderation admin's own views (a row's action, undo, edit, reply, the change
page's buttons): each is a few lines on `CommentView`.

The base answers a request about one object the same way for all of them: other methods than
the view's are refused (405), the object is fetched (`get_object`), a missing one answered
(`not_found`), the permission checked (`has_permission`, else 403); then the view's `post` (or
`get`) does its one thing and calls `respond`: JSON to the queue's script, which sends its
requests with `X-Requested-With: fetch` (static/js/admin-queue.js), the message and a redirect
to a page without it.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from comments.admin import actions, cells
from comments.models import Comment
from comments.services.counts import status_counts
from comments.services.reports import reported_comments_count

FETCH_HEADER = "X-Requested-With"  # the script's requests carry it (data-fetch-header)
FETCH_VALUE = "fetch"


def is_fetch(request):
    """Asked by the queue's script, which reads JSON (else a page, which reads messages)."""
    return request.headers.get(FETCH_HEADER) == FETCH_VALUE


def json_answer(
    model_admin,
    request,
    message,
    level,
    *,
    row=None,
    rows=None,
    undo=None,
    counts=False,
    rechecking=False,
    see_url=None,
):
    """What the queue's script reads after any action (a row's, the selected rows', an undo):
    the message and its level; `undo`, a token; `row`/`rows`, comments whose cells it
    redraws; `counts`, whether the status counts moved."""
    data = {"ok": level == messages.SUCCESS, "message": message}
    data["level"] = messages.DEFAULT_TAGS[level]
    if see_url:
        data["see_url"] = see_url  # "See it on the site", after the message
    if undo is not None:
        data["undo_url"] = actions.undo_url(undo)
    if row is not None or rows is not None:
        viewer = cells.Viewer.of(model_admin, request)
    if row is not None:
        data["row"] = cells.row_json(row, viewer, rechecking=rechecking)
    if rows is not None:
        data["rows"] = {str(c.pk): cells.row_json(c, viewer) for c in rows}
    if counts:
        data["counts"] = {**status_counts(), "reported": reported_comments_count()}
    return data


class CommentView(View):
    """A moderator's request about one comment, through `CommentAdmin` (`model_admin`)."""

    model_admin = None  # CommentAdmin, given to as_view()
    http_method_names = ["post"]

    def dispatch(self, request, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request)
        self.object = self.get_object(**kwargs)
        if self.object is None:
            return self.not_found(**kwargs)
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, **kwargs)

    def get_object(self, object_id):
        return self.model_admin.get_object(self.request, unquote(object_id))

    def not_found(self, object_id):
        """The admin's own answer: "Comment with ID “7” doesn't exist", at the admin's index."""
        admin = self.model_admin
        return admin._get_obj_does_not_exist_redirect(self.request, admin.opts, object_id)

    def has_permission(self):
        return self.model_admin.has_moderate_permission(self.request)

    def respond(self, message, level=messages.SUCCESS, *, then, more=(), **answer):
        """Say `message`: to the script, JSON with `answer` (`row`/`rows`: comments, whose
        cells it redraws; `undo`: a token; `counts`: whether the status counts moved); to a
        page, the message (then `more` (message, level) pairs) and a redirect to `then` (a URL,
        or a function giving it when it costs a query the script does not need)."""
        request = self.request
        if is_fetch(request):
            return JsonResponse(self.answer(message, level, **answer))
        for text, at in [(message, level), *more]:
            self.model_admin.message_user(request, text, at)
        return HttpResponseRedirect(then() if callable(then) else then)

    def answer(self, message, level, **answer):
        return json_answer(self.model_admin, self.request, message, level, **answer)

    def next_url(self, *, after=None, expected=None):
        """Back where the moderator was: the `next` the form posted (a page of this site), at
        the row that now follows the comment acted on."""
        request = self.request
        target = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:comments_comment_changelist")
        if after is None:
            return target
        following = (
            Comment.objects.filter(status=expected or after.status, created_at__lt=after.created_at)
            .order_by("-created_at")
            .values_list("pk", flat=True)
            .first()
        )
        return f"{target}#{cells.ROW_ID_PREFIX}{following or after.pk}"
