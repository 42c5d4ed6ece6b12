"""
The moderation queue: the comment changelist, its actions and the explained change page.

Every action calls the operations in `comments.moderation` once per comment; nothing here
changes a status itself. The changelist costs a fixed number of queries whatever the page size.
A moderator replies from the change page (or a row's "Reply" link to it) through
`comments.posting.post_staff_reply`.
"""

import ipaddress
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import ngettext

from . import moderation, posting
from .conf import settings
from .housekeeping import purge_date
from .models import Comment, CommentEvent, ScreeningWord
from .privacy_admin import (
    ScrubbedFilter,
    erase_commenter_data_action,
    export_commenter_data_action,
    scrubbed,
)

Status = Comment.Status
PASSING_VERDICTS = {"", "pass", "passed", "ok", "ham", "skip", "skipped", "approve", "approved"}

REPLY_DRAFT_SESSION_KEY = "comments:reply-draft:{pk}"
# ?return_to=changelist on a row's "Reply" link: after the reply, back to the list.
RETURN_TO_CHANGELIST = "changelist"

# operation -> (action label, past participle for the message)
ACTIONS = {
    "approve": ("Approve", "approved"),
    "unapprove": ("Unapprove (back to pending)", "sent back to pending"),
    "spam": ("Mark as spam (report to Akismet)", "marked as spam"),
    "ham": ("Not spam (report to Akismet and approve)", "marked as not spam and approved"),
    "remove": ("Remove (hide, keep replies in place)", "removed"),
    "restore": ("Restore (back to pending)", "restored to pending"),
}


def held_reasons(comment):
    """The screening steps that did not simply pass, read from comment.screening (no query)."""
    steps = comment.screening if isinstance(comment.screening, list) else []
    return [
        step
        for step in steps
        if isinstance(step, dict) and str(step.get("verdict", "")).lower() not in PASSING_VERDICTS
    ]


def akismet_warnings():
    """The Akismet owner's warnings (e.g. no key); empty while that module is absent."""
    try:
        from . import akismet

        return list(akismet.owner_warnings())
    except Exception:
        return []


class StatusFilter(admin.SimpleListFilter):
    """Status with counts, "Pending (12)"; pending is the default view, "All" shows everything."""

    title = "status"
    parameter_name = "status"
    default = Status.PENDING
    everything = "all"

    def lookups(self, request, model_admin):
        counts = dict(
            Comment.objects.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
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
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author",
        "article_link",
        "in_reply_to",
        "status_column",
        "akismet_column",
        "held_because",
        "created_at",
        scrubbed,
    ]
    list_display_links = ["excerpt"]
    list_filter = [StatusFilter, "akismet_verdict", "article", "created_at", ScrubbedFilter]
    search_fields = ["author_name", "author_email", "ip_address", "body"]
    list_select_related = ["article", "parent", "user"]
    ordering = ["-created_at"]
    date_hierarchy = None
    show_full_result_count = False  # one COUNT(*) over the whole table less on every page
    show_facets = admin.ShowFacets.NEVER  # the status filter counts already; facets cost a scan
    list_per_page = 50
    actions = [
        "approve",
        "unapprove",
        "mark_spam",
        "mark_ham",
        "remove",
        "restore",
        "recheck",
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

    # --- Permissions ---------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # comments come from readers, through screening

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        moderation.refresh_article_counts([obj.article_id], thread_ids=[obj.thread_id])

    def delete_queryset(self, request, queryset):
        article_ids = list(queryset.values_list("article_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        moderation.refresh_article_counts(article_ids)

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def get_readonly_fields(self, request, obj=None):
        return [
            field for fieldset in self.fieldsets for field in fieldset[1]["fields"]
        ]  # nothing is edited here: decisions go through the moderation buttons

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    # --- Columns ---------------------------------------------------------------------------------

    def get_list_display(self, request):
        """The columns, and a "Reply" link on each row for those who may reply."""
        columns = list(super().get_list_display(request))
        if self.has_change_permission(request):
            columns.insert(columns.index("excerpt") + 1, self.reply_column(request))
        return columns

    def reply_column(self, request):
        """The row's link to its change page's reply box, keeping the queue's filters."""
        preserved = self.get_preserved_filters(request)
        query = urlencode({"return_to": RETURN_TO_CHANGELIST})
        query += f"&{preserved}" if preserved else ""

        @admin.display(description="reply")
        def reply(obj):
            if posting.reply_refusal(obj, by=request.user):
                return ""
            label = "Approve and reply" if obj.status == Status.PENDING else "Reply"
            url = reverse("admin:comments_comment_change", args=[obj.pk])
            return format_html('<a href="{}?{}#reply">{}</a>', url, query, label)

        return reply

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(120)

    @admin.display(description="author", ordering="author_name")
    def author(self, obj):
        return format_html(
            '{}<span class="moderation-meta">{}<br>{}</span>',
            obj.author_name,
            obj.author_email or "no email",
            obj.ip_address or "no IP",
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article.title)

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

    @admin.display(description="Akismet", ordering="akismet_verdict")
    def akismet_column(self, obj):
        verdict = obj.akismet_verdict or "none"
        label = obj.get_akismet_verdict_display() if obj.akismet_verdict else "not checked"
        return format_html('<span class="akismet akismet-{}">{}</span>', verdict, label)

    @admin.display(description="why held")
    def held_because(self, obj):
        reasons = held_reasons(obj)
        if not reasons:
            return ""
        return format_html(
            '<ul class="moderation-reasons">{}</ul>',
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                ((step.get("step", "?"), step.get("reason", "")) for step in reasons),
            ),
        )

    # --- Actions: each calls one moderation operation per comment ---------------------------

    def _run(self, request, queryset, operation):
        done = moderation.apply_to_many(operation, queryset, by=request.user)
        past = ACTIONS[operation][1]
        skipped = len(queryset) - done
        message = ngettext("%(count)d comment %(past)s.", "%(count)d comments %(past)s.", done) % {
            "count": done,
            "past": past,
        }
        if skipped:
            message += " " + ngettext(
                "%(count)d was already there.", "%(count)d were already there.", skipped
            ) % {"count": skipped}
        self.message_user(request, message, messages.SUCCESS if done else messages.WARNING)

    @admin.action(description=ACTIONS["approve"][0], permissions=["moderate"])
    def approve(self, request, queryset):
        self._run(request, queryset, "approve")

    @admin.action(description=ACTIONS["unapprove"][0], permissions=["moderate"])
    def unapprove(self, request, queryset):
        self._run(request, queryset, "unapprove")

    @admin.action(description=ACTIONS["spam"][0], permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._run(request, queryset, "spam")

    @admin.action(description=ACTIONS["ham"][0], permissions=["moderate"])
    def mark_ham(self, request, queryset):
        self._run(request, queryset, "ham")

    @admin.action(description=ACTIONS["remove"][0], permissions=["moderate"])
    def remove(self, request, queryset):
        self._run(request, queryset, "remove")

    @admin.action(description=ACTIONS["restore"][0], permissions=["moderate"])
    def restore(self, request, queryset):
        self._run(request, queryset, "restore")

    @admin.action(description="Recheck with Akismet", permissions=["moderate"])
    def recheck(self, request, queryset):
        from . import akismet

        if not akismet.is_configured():
            self.message_user(
                request, "Akismet is off (no AKISMET_API_KEY): nothing was rechecked.",
                messages.WARNING,
            )  # fmt: skip
            return
        comments = list(queryset)
        verdicts = {}
        for comment in comments:
            try:
                verdict = moderation.recheck(comment, by=request.user)
            except Exception as error:  # a failed call never fails the action
                verdict = f"error ({error.__class__.__name__})"
            verdicts[str(verdict or "no answer")] = verdicts.get(str(verdict or "no answer"), 0) + 1
        summary = ", ".join(f"{verdict}: {count}" for verdict, count in sorted(verdicts.items()))
        self.message_user(
            request,
            ngettext(
                "%(count)d comment rechecked with Akismet (%(summary)s).",
                "%(count)d comments rechecked with Akismet (%(summary)s).",
                len(comments),
            )
            % {"count": len(comments), "summary": summary},
            messages.SUCCESS,
        )

    # --- Views -------------------------------------------------------------------------------

    def get_urls(self):
        reply = path(
            "<path:object_id>/reply/",
            self.admin_site.admin_view(self.reply_view),
            name="comments_comment_reply",
        )
        return [reply, *super().get_urls()]  # before the catch-all "<path:object_id>/"

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
        extra = {"akismet_warnings": akismet_warnings(), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        operation = request.POST.get("_moderate") if request.method == "POST" else None
        if operation and object_id:
            return self._moderate_one(request, object_id, operation)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if comment is not None:
            extra.update(self.explanation(request, comment))
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
            "reply_box": self.reply_box(request, comment),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }

    def moderation_buttons(self, request, comment):
        if not self.has_moderate_permission(request):
            return []
        useful = {
            "approve": comment.status != Status.APPROVED,
            "unapprove": comment.status == Status.APPROVED,
            "spam": comment.status != Status.SPAM,
            "ham": comment.status == Status.SPAM
            or comment.akismet_verdict in moderation.AKISMET_SAID_SPAM,
            "remove": comment.status != Status.REMOVED,
            "restore": comment.status in (Status.REMOVED, Status.SPAM),
            "recheck": True,
        }
        labels = {
            **{op: label for op, (label, _) in ACTIONS.items()},
            "recheck": "Recheck with Akismet",
        }
        return [(op, labels[op]) for op, wanted in useful.items() if wanted]

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
            "author_name": posting.reply_author_name(request.user),
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

    def _moderate_one(self, request, object_id, operation):
        comment = get_object_or_404(Comment, pk=object_id)
        if not self.has_moderate_permission(request):
            self.message_user(request, "You may not moderate comments.", messages.ERROR)
        elif operation == "recheck":
            self.recheck(request, Comment.objects.filter(pk=comment.pk))
        elif operation in ACTIONS:
            self._run(request, Comment.objects.filter(pk=comment.pk), operation)
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
