"""
The moderation queue: the comment changelist, its actions and the explained change page.

Every action calls the operations in `comments.services.moderation` once per comment; nothing here
changes a status itself. The changelist costs a fixed number of queries whatever the page size.
A moderator replies from the change page (or a row's "Reply" link to it) through
`comments.services.posting.post_staff_reply`.
"""

import ipaddress
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import ngettext

from comments.admin.privacy import (
    ScrubbedFilter,
    erase_commenter_data_action,
    export_commenter_data_action,
    has_privacy_permission,
)
from comments.admin.queue import RETURN_TO_CHANGELIST, QueueAdmin
from comments.conf import settings
from comments.models import Comment, CommentEvent, ScreeningWord
from comments.readers.people import display_name
from comments.screening import akismet
from comments.services import moderation, posting
from comments.services.housekeeping import purge_date
from fitness.articles.admin import ArticleAdmin
from fitness.articles.models import Article

Status = Comment.Status

REPLY_DRAFT_SESSION_KEY = "comments:reply-draft:{pk}"
# ?return_to=changelist on a row's "Reply" link (RETURN_TO_CHANGELIST): after the reply, back
# to the list.


def operation_action(operation):
    """The changelist's bulk action for one registered moderation operation."""

    def action(modeladmin, request, queryset):
        modeladmin.run_operation(request, queryset, operation.name)

    action.__name__ = operation.name  # the POSTed action name, as the change page's buttons
    return admin.action(description=operation.label, permissions=["moderate"])(action)


class StatusFilter(admin.SimpleListFilter):
    """Status with counts, "Pending (12)"; pending is the default view, "All" shows everything."""

    title = "status"
    parameter_name = "status"
    default = Status.PENDING
    everything = "all"

    def lookups(self, request, model_admin):
        counts = moderation.status_counts()
        request.comment_status_counts = counts  # the paginator reuses the held count
        return [(value, f"{label} ({counts.get(value, 0)})") for value, label in Status.choices]

    def value(self):
        return super().value() or self.default

    def queryset(self, request, queryset):
        value = self.value()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset

    def choices(self, changelist):
        yield {
            "selected": self.value() == self.everything,
            "query_string": changelist.get_query_string({self.parameter_name: self.everything}),
            "display": "All",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


@admin.register(Comment)
class CommentAdmin(QueueAdmin, admin.ModelAdmin):
    # The compact queue (comments/admin/queue.py): the comment cell carries its text, why it
    # was held and its row actions; `get_list_display` adds it.
    list_display = ["author", "article_link", "state", "age"]
    list_display_links = None  # the comment cell links to the change page itself
    list_filter = [StatusFilter, "akismet_verdict", "article", "created_at", ScrubbedFilter]
    search_fields = ["author_name", "author_email", "ip_address", "body"]
    list_select_related = ["article", "parent", "user"]
    ordering = ["-created_at"]
    date_hierarchy = None
    show_full_result_count = False  # one COUNT(*) over the whole table less on every page
    show_facets = admin.ShowFacets.NEVER  # the status filter counts already; facets cost a scan
    list_per_page = 50
    actions = [
        *(operation_action(operation) for operation in moderation.OPERATIONS.values()),
        export_commenter_data_action,
        erase_commenter_data_action,
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "in_reply_to", "status_column", "body"]}),
        (
            "Author",
            {
                "fields": [
                    "author_name",
                    "author_email",
                    "author_url",
                    "user",
                    "ip_address",
                    "notify_replies",
                ]
            },
        ),
        (
            "Request",
            {"fields": ["user_agent", "referrer", "created_at", "status_changed_at"]},
        ),
    ]
    change_form_template = "admin/comments/comment/change_form.html"

    class Media:
        css = {"all": ["css/admin-moderation.css"]}
        js = ["js/admin-queue.js"]

    # --- Permissions ---------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # comments come from readers, through screening

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_deleted_objects(self, objs, request):
        """A superuser's hard delete takes the comment's history and email records with it:
        those have no delete permission of their own (nobody deletes a history line alone)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(CommentEvent._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        moderation.refresh_article_counts([obj.article_id], thread_ids=[obj.thread_id])

    def delete_queryset(self, request, queryset):
        article_ids = list(queryset.values_list("article_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        moderation.refresh_article_counts(article_ids)

    def has_moderate_permission(self, request):
        return request.user.has_perm(moderation.MODERATE_PERMISSION)

    def get_readonly_fields(self, request, obj=None):
        return [
            field for fieldset in self.fieldsets for field in fieldset[1]["fields"]
        ]  # nothing is edited here: decisions go through the moderation buttons

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    # --- Columns ---------------------------------------------------------------------------------

    def get_list_display(self, request):
        """The comment cell first (its actions depend on who asks), then the small columns."""
        return [*self.queue_columns(request), *super().get_list_display(request)]

    def has_privacy_permission(self, request):
        """Export and erase commenter data: the "Privacy" group or a superuser."""
        return has_privacy_permission(self, request)

    @admin.display(description="in reply to")
    def in_reply_to(self, obj):
        if obj.parent_id is None:
            return "–"
        return format_html(
            '<a href="{}" title="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[obj.parent_id]),
            Truncator(obj.parent.body).chars(200),
            obj.parent.author_name,
        )

    @admin.display(description="status", ordering="status")
    def status_column(self, obj):
        purge = purge_date(obj)
        label = obj.get_status_display()
        if purge is None:
            return format_html('<span class="status status-{}">{}</span>', obj.status, label)
        return format_html(
            '<span class="status status-{}">{}</span>'
            '<span class="moderation-meta">purged on {}</span>',
            obj.status,
            label,
            purge.date().isoformat(),
        )

    # --- Actions: each runs one registered moderation operation per comment ----------------

    def run_operation(self, request, queryset, name):
        """A bulk action or a change page's button: `perform` (queue_admin), then the message
        (with its Undo button, see `undo_offer`)."""
        message, level, _undo = self.perform(request, name, list(queryset))
        self.message_user(request, message, level)

    @staticmethod
    def result_message(result):
        """ "3 comments approved. 1 was already there." / "2 comments rechecked with Akismet
        (ham: 1, spam: 1)." and its level."""
        count = result.total if result.verdicts is not None else result.changed
        message = ngettext("%(count)d comment %(past)s", "%(count)d comments %(past)s", count) % {
            "count": count,
            "past": result.operation.done,
        }
        if result.verdicts is not None:
            summary = ", ".join(f"{verdict}: {n}" for verdict, n in sorted(result.verdicts.items()))
            return f"{message} ({summary}).", messages.SUCCESS
        message += "."
        if result.unchanged:
            message += " " + ngettext(
                "%(count)d was already there.", "%(count)d were already there.", result.unchanged
            ) % {"count": result.unchanged}
        return message, messages.SUCCESS if result.changed else messages.WARNING

    # --- Views -------------------------------------------------------------------------------

    def get_urls(self):
        reply = path(
            "<path:object_id>/reply/",
            self.admin_site.admin_view(self.reply_view),
            name="comments_comment_reply",
        )
        # before the catch-all "<path:object_id>/"
        return [reply, *self.queue_urls(), *super().get_urls()]

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """The held comments' page needs no second COUNT: the status filter has just counted
        them exactly (only for the plain held view: no search, no other filter)."""
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        counts = getattr(request, "comment_status_counts", None)
        plain = set(request.GET) <= {"status", "o", "p"}
        if counts and plain and request.GET.get("status", Status.PENDING) == Status.PENDING:
            paginator.count = counts[Status.PENDING]  # a cached_property: set, not computed
        return paginator

    def get_search_results(self, request, queryset, search_term):
        """An IP address is looked up exactly (fast); anything else in name, email, IP, text."""
        term = search_term.strip()
        try:
            ipaddress.ip_address(term)
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(ip_address=term), False

    def history_view(self, request, object_id, extra_context=None):
        comment = self.get_object(request, object_id)
        extra = {"comment_history": comment.history.select_related("actor") if comment else []}
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})

    def changelist_view(self, request, extra_context=None):
        extra = {
            "title": "Moderation queue",
            "akismet_warnings": akismet.owner_warnings(),
            "undo_offer": self.undo_offer(request),
            "keyboard_shortcuts": self.keyboard_shortcuts(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    @staticmethod
    def keyboard_shortcuts():
        """The queue's keys, for the "?" list: J/K/X, the operations' keys, R, E, Z."""
        keys = [("j", "next comment"), ("k", "previous comment"), ("x", "select it")]
        keys += [(op.key, op.short) for op in moderation.OPERATIONS.values() if op.key]
        keys += [("r", "reply (approves a held comment)"), ("e", "edit"), ("z", "undo")]
        return [*keys, ("?", "show this list")]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            operation = request.POST.get("_moderate") or request.POST.get("_moderate_next")
            if operation:
                then_next = "_moderate_next" in request.POST
                return self._moderate_one(request, object_id, operation, then_next=then_next)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if comment is not None:
            extra.update(self.explanation(request, comment))
        extra["undo_offer"] = self.undo_offer(request)
        return super().change_view(request, object_id, form_url, extra)

    def explanation(self, request, comment):
        """What the change page shows beyond the fields: context, screening, Akismet, history."""
        history = comment.history.select_related("actor")
        return {
            "comment": comment,
            "parent": comment.parent,
            "screening_steps": comment.screening if isinstance(comment.screening, list) else [],
            "akismet_request": sorted((comment.akismet_request or {}).items()),
            "akismet_response": comment.akismet_response or {},
            "history": history,
            "purge_date": purge_date(comment),
            "moderation_buttons": self.moderation_buttons(request, comment),
            "next_buttons": self.next_buttons(request, comment),
            "edit_url": reverse("admin:comments_comment_edit", args=[comment.pk])
            if self.has_change_permission(request, comment)
            and self.has_moderate_permission(request)
            else "",
            "reply_box": self.reply_box(request, comment),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }

    def moderation_buttons(self, request, comment):
        if not self.has_moderate_permission(request):
            return []
        return [
            (operation.name, operation.label)
            for operation in moderation.OPERATIONS.values()
            if operation.applies(comment) and operation.allowed(request.user)
        ]

    def next_buttons(self, request, comment):
        """ "Approve and next", "Spam and next": for a held comment, to the next held one."""
        if comment.status != Status.PENDING or not self.has_moderate_permission(request):
            return []
        return [
            (operation.name, f"{operation.short} and next")
            for operation in moderation.OPERATIONS.values()
            if operation.key in ("a", "s") and operation.applies(comment)
        ]

    @staticmethod
    def next_held(comment):
        """The held comment after this one in the queue's order (newest first), else the
        newest held one; None when the queue is empty."""
        held = Comment.objects.in_moderation().exclude(pk=comment.pk).order_by("-created_at")
        return held.filter(created_at__lt=comment.created_at).first() or held.first()

    def reply_box(self, request, comment):
        """The change page's "Reply" box: where it posts, its button, why it may not, the draft
        a refused reply left behind. None for those who may not change comments."""
        if not self.has_change_permission(request, comment):
            return None
        draft = request.session.pop(REPLY_DRAFT_SESSION_KEY.format(pk=comment.pk), None) or {}
        url = reverse("admin:comments_comment_reply", args=[comment.pk])
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return_to = request.GET.get("return_to", "")
        return {
            "url": add_preserved_filters(context, url),
            "label": "Approve and reply" if comment.status == Status.PENDING else "Reply",
            "author_name": display_name(request.user),
            "max_length": settings.COMMENTS_MAX_LENGTH,
            "refusal": posting.reply_refusal(comment, by=request.user),
            "text": draft.get("text", ""),
            "error": draft.get("error", ""),
            "return_to": return_to if return_to == RETURN_TO_CHANGELIST else "",
        }

    def reply_view(self, request, object_id):
        """POST only: the change page's reply box. Refused: back to the box, the text kept."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        text = request.POST.get("reply", "")
        return_to = request.POST.get("return_to", "")
        result = posting.post_staff_reply(comment, body=text, by=request.user)
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        change_url = reverse("admin:comments_comment_change", args=[comment.pk])
        if result.refusal:
            self.message_user(request, result.refusal, messages.ERROR)
            draft = {"text": text, "error": result.refusal}
            request.session[REPLY_DRAFT_SESSION_KEY.format(pk=comment.pk)] = draft
            if return_to == RETURN_TO_CHANGELIST:
                change_url += "?" + urlencode({"return_to": return_to})
            return HttpResponseRedirect(add_preserved_filters(preserved, change_url) + "#reply")
        reply = result.comment
        done = (
            "Comment approved and your reply published."
            if comment.status == Status.PENDING
            else "Your reply is published."
        )
        self.message_user(
            request,
            format_html('{} <a href="{}">See it on the site</a>.', done, reply.get_absolute_url()),
            messages.SUCCESS,
        )
        if return_to == RETURN_TO_CHANGELIST:
            return HttpResponseRedirect(
                add_preserved_filters(preserved, reverse("admin:comments_comment_changelist"))
            )
        return HttpResponseRedirect(add_preserved_filters(preserved, change_url))

    def _moderate_one(self, request, object_id, operation, *, then_next=False):
        comment = get_object_or_404(Comment, pk=object_id)
        if not self.has_moderate_permission(request):
            self.message_user(request, "You may not moderate comments.", messages.ERROR)
        elif operation in moderation.OPERATIONS:
            expected = request.POST.get("expected") or None
            message, level, _undo = self.perform(request, operation, [comment], expected=expected)
            self.message_user(request, message, level)
            if then_next:
                following = self.next_held(comment)
                if following is None:
                    self.message_user(request, "The queue is empty.", messages.INFO)
                    return HttpResponseRedirect(
                        reverse("admin:comments_comment_changelist") + "?status=pending"
                    )
                url = reverse("admin:comments_comment_change", args=[following.pk])
                return HttpResponseRedirect(url)
        else:
            self.message_user(request, f"Unknown action “{operation}”.", messages.ERROR)
        return HttpResponseRedirect(request.path)


@admin.register(ScreeningWord)
class ScreeningWordAdmin(admin.ModelAdmin):
    list_display = ["term", "kind", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["term", "note"]


@admin.register(CommentEvent)
class CommentEventAdmin(admin.ModelAdmin):
    """The history, read-only: nothing adds, edits or deletes it here."""

    list_display = ["created_at", "comment", "kind", "who", "from_status", "to_status", "note"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["comment__article", "actor"]
    search_fields = ["note", "actor_label", "comment__author_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ArticleWithCommentsAdmin(ArticleAdmin):
    """The articles' admin with each article's approved and held comments, both counted in
    the changelist's one query (no count per row); the held count links to the queue."""

    list_display = [*ArticleAdmin.list_display, "approved_comments", "pending_comments"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_count=Count("comments", filter=Q(comments__status=Status.APPROVED)),
                pending_count=Count("comments", filter=Q(comments__status=Status.PENDING)),
            )
        )

    @admin.display(description="approved comments", ordering="approved_count")
    def approved_comments(self, obj):
        return obj.approved_count

    @admin.display(description="pending comments", ordering="pending_count")
    def pending_comments(self, obj):
        if not obj.pending_count:
            return 0
        url = reverse("admin:comments_comment_changelist")
        return format_html(
            '<a href="{}?status=pending&amp;article__id__exact={}">{}</a>',
            url,
            obj.pk,
            obj.pending_count,
        )


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithCommentsAdmin)
