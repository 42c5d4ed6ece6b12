"""
The articles' admin. It knows nothing of comments: the comments app extends this admin with
each article's comment counts (comments/admin.py), as it extends the article page.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import ngettext

from .author_admin import OwnArticlesOnly
from .models import Article, Category, Redirect, Tag


class TermAdmin(admin.ModelAdmin):
    """Categories and tags: name, address, description, and how many articles each has."""

    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_articles=Count("articles"))

    @admin.display(description="articles", ordering="number_of_articles")
    def article_count(self, obj):
        return obj.number_of_articles


admin.site.register(Category, TermAdmin)
admin.site.register(Tag, TermAdmin)


@admin.register(Article)
class ArticleAdmin(OwnArticlesOnly, admin.ModelAdmin):
    list_display = [
        "title",
        "category_names",
        "author",
        "status",
        "publish_at",
        "comments_open",
    ]
    list_filter = ["status", "categories", "tags", "comments_open", "publish_at"]
    search_fields = ["title", "body", "excerpt"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "publish_at"
    list_select_related = ["author"]
    autocomplete_fields = ["categories", "tags"]
    readonly_fields = ["comment_count", "created_at", "updated_at"]
    actions = ["close_comments", "open_comments"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "byline", "categories", "tags"]}),
        ("Content", {"fields": ["excerpt", "body"]}),
        ("Search engines and sharing", {"fields": ["seo_title", "meta_description"]}),
        ("Publishing", {"fields": ["status", "publish_at", "comments_open"]}),
        ("Record", {"fields": ["comment_count", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description="categories")
    def category_names(self, obj):
        return ", ".join(category.name for category in obj.categories.all())

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
