from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "status",
        "publish_at",
        "comments_open",
        "approved_comments",
        "pending_comments",
    ]
    list_filter = ["status", "category", "comments_open", "publish_at"]
    search_fields = ["title", "body", "excerpt"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "publish_at"
    list_select_related = ["author"]
    readonly_fields = ["comment_count", "created_at", "updated_at"]
    actions = ["close_comments", "open_comments"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "author", "byline"]}),
        ("Content", {"fields": ["excerpt", "body"]}),
        ("Publishing", {"fields": ["status", "publish_at", "comments_open"]}),
        ("Record", {"fields": ["comment_count", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        # Both counts in the changelist's one query: no count per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_count=Count("comments", filter=Q(comments__status="approved")),
                pending_count=Count("comments", filter=Q(comments__status="pending")),
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

    @admin.action(description="Close comments on the selected articles")
    def close_comments(self, request, queryset):
        self._set_comments_open(request, queryset, False)

    @admin.action(description="Open comments on the selected articles")
    def open_comments(self, request, queryset):
        self._set_comments_open(request, queryset, True)

    def _set_comments_open(self, request, queryset, is_open):
        changed = 0
        for article in queryset.exclude(comments_open=is_open):
            article.comments_open = is_open
            article.save(update_fields=["comments_open", "updated_at"])
            changed += 1
        state = "opened" if is_open else "closed"
        self.message_user(
            request,
            ngettext(
                "Comments %(state)s on %(count)d article.",
                "Comments %(state)s on %(count)d articles.",
                changed,
            )
            % {"state": state, "count": changed},
            messages.SUCCESS,
        )
