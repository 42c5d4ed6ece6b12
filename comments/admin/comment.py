"""
The moderation queue: the comment changelist, its actions and the explained change page.

`CommentAdmin` is Django's configuration and hooks, put together from parts that each do one
thing: the cells (`cells`), the bulk actions made from the operations registry (`views`), the
views on one base (`views`), the queue page and its script's facts (`queue`), the change page
(`page`) and the privacy duty (`privacy`). Nothing here changes a status itself; the changelist
costs a fixed number of queries whatever the page size.
"""

import ipaddress

from django.contrib import admin

from comments.admin import cells, page, people, queue, views
from comments.admin.insights import InsightFilter
from comments.admin.privacy import (
    ScrubbedFilter,
    erase_commenter_data_action,
    export_commenter_data_action,
    has_privacy_permission,
)
from comments.models import Comment, CommentEvent
from comments.services import moderation
from comments.services.counts import refresh_article_counts


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # The comment cell (text, why held, row actions) comes first; it depends on who asks, so
    # `get_list_display` adds it.
    list_display = [cells.author, cells.article_link, cells.state, cells.age]
    list_display_links = None  # the comment cell links to the change page itself
    list_filter = [
        queue.StatusFilter,
        "akismet_verdict",
        "article",
        "created_at",
        ScrubbedFilter,
        # On only through a row's links (an email, an IP, a commenter's counts).
        people.EmailFilter,
        people.NetworkFilter,
        people.CommenterFilter,
        InsightFilter,
    ]
    search_fields = ["author_name", "author_email", "ip_address", "body"]
    list_select_related = ["article", "parent", "user", "commenter"]
    ordering = ["-created_at"]
    date_hierarchy = None
    show_full_result_count = False  # one COUNT(*) over the whole table less on every page
    show_facets = admin.ShowFacets.NEVER  # the status filter counts already; facets cost a scan
    list_per_page = 50
    actions = [
        *(views.operation_action(operation) for operation in moderation.OPERATIONS.values()),
        export_commenter_data_action,
        erase_commenter_data_action,
    ]
    fieldsets = [
        (None, {"fields": [cells.article_link, cells.in_reply_to, cells.status_column, "body"]}),
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
        ("Request", {"fields": ["user_agent", "referrer", "created_at", "status_changed_at"]}),
    ]
    # Nothing is edited here: decisions go through the moderation buttons.
    readonly_fields = [field for _, fieldset in fieldsets for field in fieldset["fields"]]
    change_form_template = "admin/comments/comment/change_form.html"

    class Media:
        css = {"all": ["css/admin-moderation.css", "css/admin-people.css"]}
        js = ["js/admin-queue.js", "js/admin-people.js"]

    # --- Permissions ---------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # comments come from readers, through screening

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_moderate_permission(self, request):
        return request.user.has_perm(moderation.MODERATE_PERMISSION)

    def has_privacy_permission(self, request):
        """Export and erase commenter data: the "Privacy" group or a superuser."""
        return has_privacy_permission(self, request)

    def get_deleted_objects(self, objs, request):
        """A superuser's hard delete takes the comment's history and email records with it:
        those have no delete permission of their own (nobody deletes a history line alone)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(CommentEvent._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_article_counts([obj.article_id], thread_ids=[obj.thread_id])

    def delete_queryset(self, request, queryset):
        article_ids = list(queryset.values_list("article_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        refresh_article_counts(article_ids)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    # --- The queue ------------------------------------------------------------------------------

    def get_list_display(self, request):
        """The comment cell first (its actions depend on who asks), then the small columns."""
        viewer = cells.Viewer.of(self, request)
        columns = [*super().get_list_display(request), *queue.extra_columns(request)]
        return [cells.comment_column(viewer), *columns]

    def get_changelist(self, request, **kwargs):
        return queue.QueueChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """The held comments' page needs no second COUNT: the status filter has just counted
        them exactly."""
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        held = queue.held_count(request)
        if held is not None:
            paginator.count = held  # a cached_property: set, not computed
        return paginator

    def get_search_results(self, request, queryset, search_term):
        """An IP address is looked up exactly (fast), a network ("203.0.113.0/24",
        "2001:db8::/64") as every address inside it; anything else in name, email, IP, text.
        Whatever the status viewed, a search looks in every status (`queue.StatusFilter`)."""
        term = search_term.strip()
        try:
            ipaddress.ip_address(term)
        except ValueError:
            pass
        else:
            return queryset.filter(ip_address=term), False
        if "/" in term:
            try:
                network = ipaddress.ip_network(term, strict=False)
            except ValueError:
                pass
            else:
                return queryset.in_network(network), False
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request, extra_context=None):
        extra = {**queue.page_context(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    # --- A comment's pages ----------------------------------------------------------------------

    def get_urls(self):
        return [*views.urls(self), *super().get_urls()]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The change page's buttons post `_moderate` (or `_moderate_next`) to the page."""
        post = request.POST
        if (
            request.method == "POST"
            and object_id
            and (post.get("_moderate") or post.get("_moderate_next"))
        ):
            return views.ModerateView.as_view(model_admin=self)(request, object_id=object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, object_id)
        extra = {**page.page_context(self, request, comment), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    def history_view(self, request, object_id, extra_context=None):
        comment = self.get_object(request, object_id)
        extra = {"comment_history": comment.history.select_related("actor") if comment else []}
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})
