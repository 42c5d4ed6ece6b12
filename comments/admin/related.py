"""The admin pages next to the queue: the screening words, the comments' history (read-only),
and the articles with their comment counts."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from comments.models import Comment, CommentEvent, ScreeningWord
from fitness.articles.admin import ArticleAdmin
from fitness.articles.models import Article

Status = Comment.Status


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
