"""
The moderation queue's rows and what a moderator does from them: the compact cells, the row
actions (made from `moderation.OPERATIONS`), undo, edit, and the admin's own log.

`QueueAdmin` is mixed into `CommentAdmin` (comments/admin/comment.py). Every row action is a POST to
`<id>/act/` that runs one registered operation through `moderation.apply`, with the status
the moderator saw (`expected`): a comment someone else moved meanwhile is left alone and the
answer says "Already approved by alice". Without JavaScript the buttons are ordinary form
buttons (they belong to `#queue-row-form`, outside the changelist's own form) and the answer is
a redirect back to the same place in the queue; with JavaScript (static/js/admin-queue.js) the
same POST is sent with `X-Requested-With: fetch` and answered in JSON: the row's new cells and
the status counts.

Every action that changed something can be undone from the message that reports it: the
undo steps are kept in the session under a token (`remember_undo`) and `undo/<token>/` hands
them to `moderation.undo`.
"""

import secrets
from functools import lru_cache
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import ngettext

from comments.admin.privacy import scrubbed
from comments.models import Comment
from comments.notifications import tasks
from comments.screening import akismet
from comments.screening.verdicts import held_reasons
from comments.services import moderation, posting
from comments.services.housekeeping import purge_date

Status = Comment.Status

UNDO_SESSION_KEY = "comments:undo"  # {token: {"steps": [...], "message": "..."}}
UNDO_OFFER_KEY = "comments:undo-offer"  # the last action's {"token", "message"}, shown once
UNDO_KEEP = 20  # how many actions back a moderator can undo
# What a conflict says another moderator did: "Already approved by alice."
DONE_TO = {
    Status.APPROVED: "approved",
    Status.PENDING: "sent back to pending",
    Status.SPAM: "marked as spam",
    Status.REMOVED: "removed",
}
RETURN_TO_CHANGELIST = "changelist"


def row_url(view, pk):
    """`admin:comments_comment_<view>` for one comment: reversed once per script prefix, then
    filled in (a page of 50 rows asked for 300 reverses, 15 % of its time)."""
    return _row_url_template(view, get_script_prefix()).replace(PK_MARK, str(pk))


PK_MARK = "__pk__"


@lru_cache(maxsize=32)
def _row_url_template(view, prefix):
    return reverse(f"admin:comments_comment_{view}", args=[PK_MARK])


def is_fetch(request):
    return request.headers.get("X-Requested-With") == "fetch"


class EditForm(forms.ModelForm):
    """A moderator's edit: the text, the name and the website; never the email."""

    author_url = forms.URLField(label="website", required=False, assume_scheme="https")

    class Meta:
        model = Comment
        fields = ["body", "author_name", "author_url"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "cols": 60})}


class QueueAdmin:
    """The queue's cells, row actions, undo and edit, for `CommentAdmin`."""

    # --- Cells -----------------------------------------------------------------------------

    def queue_columns(self, request):
        """The compact queue: the comment (with its reasons and actions), author, where, state,
        age. Cells that need the request (the actions) are made here."""
        preserved = self.get_preserved_filters(request)
        reply_query = urlencode({"return_to": RETURN_TO_CHANGELIST})
        reply_query += f"&{preserved}" if preserved else ""
        may_change = self.has_change_permission(request)

        @admin.display(description="comment")
        def comment(obj):
            return format_html(
                '<div class="queue-comment" id="queue-row-{pk}" data-pk="{pk}" '
                'data-status="{status}" data-edit-url="{edit}">'
                '<a class="queue-text" href="{url}">{text}</a>{reasons}{actions}</div>',
                pk=obj.pk,
                status=obj.status,
                edit=row_url("edit", obj.pk) if may_change else "",
                url=row_url("change", obj.pk),
                text=Truncator(obj.body).chars(600),
                reasons=reasons_html(obj),
                actions=self.actions_html(request, obj, reply_query, may_change),
            )

        return [comment]

    def actions_html(self, request, obj, reply_query, may_change):
        """The row's buttons for what applies to its status, then Reply and Edit."""
        act = row_url("act", obj.pk)
        act += "?" + urlencode({"expected": obj.status})
        buttons = format_html_join(
            "",
            '<button type="submit" form="queue-row-form" formaction="{}" name="operation" '
            'value="{}" class="queue-action queue-{}" data-key="{}">{}</button>',
            (
                (act, op.name, op.name, op.key, op.short)
                for op in moderation.OPERATIONS.values()
                if op.short and op.applies(obj) and op.allowed(request.user)
            ),
        )
        links = ""
        if may_change:  # format_html, not "+": a row without a Reply link adds a plain ""
            links = format_html(
                '{} <a class="queue-edit-link" href="{}">Edit</a>',
                self.reply_link(request, obj, reply_query),
                row_url("edit", obj.pk),
            )
        return format_html(
            '<div class="queue-actions" role="group" aria-label="Actions on comment {}">{}{}</div>',
            obj.pk,
            buttons,
            links,
        )

    def reply_link(self, request, obj, query):
        if posting.reply_refusal(obj, by=request.user):
            return ""
        label = "Approve and reply" if obj.status == Status.PENDING else "Reply"
        url = row_url("change", obj.pk)
        return format_html('<a href="{}?{}#reply">{}</a>', url, query, label)

    @admin.display(description="author", ordering="author_name")
    def author(self, obj):
        personal = "" if not (obj.erased_at or obj.scrubbed_at) else scrubbed(obj)
        return format_html(
            '<span class="queue-author">{}</span><span class="moderation-meta">{} · {}</span>{}',
            obj.author_name,
            obj.author_email or "no email",
            obj.ip_address or "no IP",
            personal,
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        reply = ""
        if obj.parent_id is not None:
            reply = format_html(
                '<span class="moderation-meta">in reply to <a href="{}" title="{}">{}</a></span>',
                row_url("change", obj.parent_id),
                Truncator(obj.parent.body).chars(200),
                obj.parent.author_name,
            )
        return format_html(
            '<a href="{}">{}</a>{}', obj.article.get_absolute_url(), obj.article.title, reply
        )

    @admin.display(description="status", ordering="status")
    def state(self, obj):
        return state_html(obj)

    @admin.display(description="age", ordering="created_at")
    def age(self, obj):
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            obj.created_at.isoformat(),
            obj.created_at.strftime("%Y-%m-%d %H:%M"),
            timesince(obj.created_at, depth=1),
        )

    # --- The admin's own log ("Recent actions"), next to the comment's history ------------

    def log_moderation(self, request, comments, message):
        for comment in comments:
            self.log_change(request, comment, message)

    # --- Undo --------------------------------------------------------------------------------

    def remember_undo(self, request, steps, message):
        """Keep the steps under a new token; offer the undo on the next page. Returns the
        token, or "" if there is nothing to undo."""
        if not steps:
            return ""
        token = secrets.token_urlsafe(9)
        store = dict(request.session.get(UNDO_SESSION_KEY, {}))
        store[token] = {"steps": steps, "message": message}
        request.session[UNDO_SESSION_KEY] = dict(list(store.items())[-UNDO_KEEP:])
        request.session[UNDO_OFFER_KEY] = {"token": token, "message": message}
        return token

    def undo_offer(self, request):
        """The last action's undo, for the page that shows its message (once)."""
        offer = request.session.pop(UNDO_OFFER_KEY, None)
        if not offer:
            return None
        return {**offer, "url": reverse("admin:comments_comment_undo", args=[offer["token"]])}

    def undo_view(self, request, token):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        store = dict(request.session.get(UNDO_SESSION_KEY, {}))
        entry = store.pop(token, None)
        request.session[UNDO_SESSION_KEY] = store
        request.session.pop(UNDO_OFFER_KEY, None)
        if entry is None:
            message, level, undone, pks = (
                "Nothing to undo (already undone?).",
                messages.WARNING,
                0,
                [],
            )
        else:
            pks = [step["pk"] for step in entry["steps"]]
            undone = moderation.undo(entry["steps"], by=request.user)
            changed_since = len(pks) - undone
            message = ngettext(
                "Undone: %(count)d comment put back.",
                "Undone: %(count)d comments put back.",
                undone,
            ) % {"count": undone}
            if changed_since:
                message += " " + ngettext(
                    "%(count)d was changed since and left as it is.",
                    "%(count)d were changed since and left as they are.",
                    changed_since,
                ) % {"count": changed_since}
            level = messages.SUCCESS if undone else messages.WARNING
            comments = list(Comment.objects.filter(pk__in=pks).select_related("article", "parent"))
            self.log_moderation(request, comments, f"Undo of “{entry['message']}”")
        if is_fetch(request):
            comments = Comment.objects.filter(pk__in=pks).select_related("article", "parent")
            return JsonResponse(
                {
                    "ok": bool(undone),
                    "message": message,
                    "level": messages.DEFAULT_TAGS[level],
                    "rows": {str(c.pk): self.row_json(request, c) for c in comments},
                    "counts": moderation.status_counts(),
                }
            )
        self.message_user(request, message, level)
        return HttpResponseRedirect(self.next_url(request))

    # --- One row's action ------------------------------------------------------------------

    def act_view(self, request, object_id):
        """POST: one registered operation on one comment, from its row."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        name = request.POST.get("operation", "")
        operation = moderation.OPERATIONS.get(name)
        if operation is None:
            raise PermissionDenied(f"Unknown operation {name!r}")
        if not (self.has_moderate_permission(request) and operation.allowed(request.user)):
            raise PermissionDenied
        expected = request.GET.get("expected") or None
        checked_at = comment.akismet_checked_at
        message, level, undo = self.perform(request, name, [comment], expected=expected)
        rechecking = False
        if operation.background:
            comment.refresh_from_db()  # the task changed its own copy
            rechecking = comment.akismet_checked_at == checked_at  # still queued
        if is_fetch(request):
            return JsonResponse(
                {
                    "ok": level == messages.SUCCESS,
                    "message": message,
                    "level": messages.DEFAULT_TAGS[level],
                    "undo_url": reverse("admin:comments_comment_undo", args=[undo]) if undo else "",
                    "row": self.row_json(request, comment, rechecking=rechecking),
                    "counts": moderation.status_counts(),
                }
            )
        self.message_user(request, message, level)
        return HttpResponseRedirect(self.next_url(request, after=comment, expected=expected))

    def perform(self, request, name, comments, *, expected=None):
        """Run one operation on `comments` as this moderator; returns (message, level, undo
        token). Shared by the bulk actions, the row actions and the change page's buttons."""
        operation = moderation.OPERATIONS[name]
        if operation.asks_akismet and not akismet.is_configured():
            return (
                "Akismet is off (no AKISMET_API_KEY): nothing was rechecked.",
                messages.WARNING,
                "",
            )
        if operation.background:
            answers, queued = tasks.run_in_background(name, comments, by=request.user)
            self.log_moderation(request, comments, operation.label)
            return self.background_message(operation, answers, queued), messages.SUCCESS, ""
        result = moderation.apply(name, comments, by=request.user, expected=expected)
        if result.conflicts:
            message = " ".join(
                f"Already {DONE_TO.get(status, status)} by {who}."
                for _, status, who in result.conflicts
            )
            return message, messages.WARNING, ""
        message, level = self.result_message(result)
        changed = {step["pk"] for step in result.steps}
        self.log_moderation(request, [c for c in comments if c.pk in changed], operation.label)
        return message, level, self.remember_undo(request, result.steps, message)

    @staticmethod
    def background_message(operation, answers, queued):
        parts = []
        if answers:
            count = len(answers)
            summary = ", ".join(
                f"{verdict}: {answers.count(verdict)}" for verdict in sorted(set(answers))
            )
            parts.append(
                ngettext("%(count)d comment %(past)s", "%(count)d comments %(past)s", count)
                % {"count": count, "past": operation.done}
                + f" ({summary})."
            )
        if queued:
            parts.append(
                ngettext(
                    "%(count)d comment queued: %(label)s in the background; the queue shows "
                    "Akismet's answer once it is in.",
                    "%(count)d comments queued: %(label)s in the background; the queue shows "
                    "Akismet's answers once they are in.",
                    queued,
                )
                % {"count": queued, "label": operation.label}
            )
        return " ".join(parts)

    def row_json(self, request, comment, *, rechecking=False):
        preserved = self.get_preserved_filters(request)
        query = urlencode({"return_to": RETURN_TO_CHANGELIST})
        query += f"&{preserved}" if preserved else ""
        return {
            "pk": comment.pk,
            "status": comment.status,
            "state_html": state_html(comment, rechecking=rechecking),
            "actions_html": self.actions_html(
                request, comment, query, self.has_change_permission(request)
            ),
            "text": Truncator(comment.body).chars(600),
        }

    def next_url(self, request, *, after=None, expected=None):
        """Back where the moderator was: the `next` the form posted (a page of this site), at
        the row that now follows the comment acted on."""
        target = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:comments_comment_changelist")
        if after is not None:
            following = (
                Comment.objects.filter(
                    status=expected or after.status, created_at__lt=after.created_at
                )
                .order_by("-created_at")
                .values_list("pk", flat=True)
                .first()
            )
            target += f"#queue-row-{following or after.pk}"
        return target

    # --- Edit --------------------------------------------------------------------------------

    def edit_view(self, request, object_id):
        """A comment's text, name and website: a page of its own without JavaScript, the
        queue's inline form with it (GET answers the values, POST saves, both in JSON)."""
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (
            self.has_change_permission(request, comment) and self.has_moderate_permission(request)
        ):
            raise PermissionDenied
        form = EditForm(request.POST or None, instance=Comment.objects.get(pk=comment.pk))
        if request.method == "POST" and form.is_valid():
            step = moderation.edit(
                comment,
                by=request.user,
                **{name: form.cleaned_data[name] for name in moderation.EDITABLE},
            )
            message = "Comment edited." if step else "Nothing was changed."
            undo = self.remember_undo(request, [step] if step else [], message)
            if step:
                self.log_moderation(request, [comment], "Edited: " + ", ".join(step["edit"]))
            if is_fetch(request):
                return JsonResponse(
                    {
                        "ok": True,
                        "message": message,
                        "level": "success",
                        "undo_url": reverse("admin:comments_comment_undo", args=[undo])
                        if undo
                        else "",
                        "row": self.row_json(request, comment),
                    }
                )
            self.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(
                self.next_url(request, after=None) + f"#queue-row-{comment.pk}"
            )
        if is_fetch(request):
            if request.method == "POST":
                return JsonResponse(
                    {"ok": False, "errors": form.errors.get_json_data()}, status=400
                )
            return JsonResponse({name: getattr(comment, name) for name in moderation.EDITABLE})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Edit the comment by {comment.author_name}",
            "opts": self.opts,
            "original": comment,
            "comment": comment,
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next") or "",
        }
        return TemplateResponse(request, "admin/comments/comment/edit.html", context)

    def queue_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/act/", view(self.act_view), name="comments_comment_act"),
            path("<path:object_id>/edit/", view(self.edit_view), name="comments_comment_edit"),
            path("undo/<str:token>/", view(self.undo_view), name="comments_comment_undo"),
        ]


def reasons_html(obj):
    """Why it was held, as small labels: the step, its reason on hover and for screen readers."""
    reasons = held_reasons(obj.screening)
    if not reasons:
        return ""
    return format_html(
        '<ul class="queue-reasons" aria-label="why held">{}</ul>',
        format_html_join(
            "",
            '<li class="queue-reason" title="{1}">{0}'
            '<span class="visually-hidden">: {1}</span></li>',
            ((step.get("step", "?"), step.get("reason", "")) for step in reasons),
        ),
    )


def state_html(obj, *, rechecking=False):
    """Status, Akismet's verdict ("rechecking" while a recheck is queued or due), the purge
    date."""
    verdict = obj.akismet_verdict or "none"
    label = obj.get_akismet_verdict_display() if obj.akismet_verdict else "not checked"
    if rechecking or (
        obj.akismet_verdict == Comment.Akismet.UNCHECKED
        and obj.akismet_next_check_at
        and obj.akismet_next_check_at <= timezone.now()
    ):
        verdict, label = "rechecking", "rechecking"
    purge = purge_date(obj)
    purge_html = (
        format_html('<span class="moderation-meta">purged on {}</span>', purge.date().isoformat())
        if purge
        else ""
    )
    return format_html(
        '<span class="status status-{}">{}</span> <span class="akismet akismet-{}">{}</span>{}',
        obj.status,
        obj.get_status_display(),
        verdict,
        label,
        purge_html,
    )
