"""
The articles' admin. It knows nothing of comments: the comments app extends this admin with
each article's comment counts (comments/admin.py), as it extends the article page.
"""

from django.contrib import admin, messages
from django.utils.translation import ngettext

from .models import Article, Page, Redirect


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "status",
        "publish_at",
        "comments_open",
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


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """The old site's addresses (filled by a WordPress import); each answers 301."""

    list_display = ["old_path", "location", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["old_path", "target", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """Standalone pages (About, Contact): at /<slug>/, in the footer when asked."""

    list_display = ["title", "slug", "status", "in_footer", "menu_order", "updated_at"]
    list_editable = ["in_footer", "menu_order"]
    list_filter = ["status", "in_footer"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "status", "in_footer", "menu_order"]
