"""
The articles' admin. It knows nothing of comments: the comments app extends this admin with
each article's comment counts (comments/admin/related.py), as it extends the article page.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import ngettext
from solo.admin import SingletonModelAdmin

from fitness.articles import site_settings
from fitness.articles.article_form import ArticleForm
from fitness.articles.author_admin import OwnArticlesOnly
from fitness.articles.editor import ArticleEditorMixin, ImageForm, MediaLibraryMixin, store_upload
from fitness.articles.models import (
    Article,
    Category,
    Image,
    Page,
    Redirect,
    SiteSettings,
    Tag,
)
from fitness.articles.revisions_admin import RevisionsMixin


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
class ArticleAdmin(
    OwnArticlesOnly, RevisionsMixin, ArticleEditorMixin, admin.ModelAdmin
):  # the editor: fitness/articles/editor.py
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
    form = ArticleForm  # labelled inputs, tags typed (fitness/articles/article_form.py)
    readonly_fields = ["comment_count", "created_at", "updated_at"]
    actions = ["close_comments", "open_comments"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "byline", "categories", "tag_names"]}),
        ("Content", {"fields": ["featured_image", "excerpt", "body"]}),
        ("Search engines and sharing", {"fields": ["seo_title", "meta_description"]}),
        ("Publishing", {"fields": ["status", "publish_at", "comments_open"]}),
        ("Record", {"fields": ["comment_count", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.may_add_tags = request.user.has_perm("fitness.add_tag")
        return form

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


@admin.register(Page)
class PageAdmin(RevisionsMixin, ArticleEditorMixin, admin.ModelAdmin):
    """Standalone pages (About, Contact): at /<slug>/, in the footer when asked; the editor
    keeps their text as it keeps an article's (autosave, revisions, restore: RevisionsMixin)."""

    list_display = ["title", "slug", "status", "in_footer", "menu_order", "updated_at"]
    list_editable = ["in_footer", "menu_order"]
    list_filter = ["status", "in_footer"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "status", "in_footer", "menu_order"]


@admin.register(Image)
class ImageAdmin(MediaLibraryMixin, admin.ModelAdmin):
    """The media library. Authors upload here or from the article editor; a user who may not
    delete images (an author) changes only the images they uploaded."""

    form = ImageForm
    list_display = ["thumbnail", "alt", "size", "state", "markdown", "uploaded_by", "created_at"]
    list_filter = ["state"]
    actions = ["make_renditions_again"]
    list_display_links = ["thumbnail", "alt"]
    search_fields = ["alt", "caption", "credit"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "created_at"
    fields = [
        "file", "preview", "alt", "caption", "credit", "markdown", "size", "state_said",
        "uploaded_by",
    ]  # fmt: skip
    readonly_fields = ["preview", "markdown", "size", "state_said", "uploaded_by"]

    @admin.display(description="Resized copies")
    def state_said(self, image):
        """Where its renditions are: being made, made, or why they could not be."""
        if not image.pk:
            return "-"
        if image.state == Image.State.FAILED:
            return f"Failed: {image.failure} Readers see the original meanwhile."
        if image.processing:
            return "Processing… (readers see the original until they are made)"
        return f"Ready ({len(image.renditions)})" if image.renditions else "None needed"

    @admin.action(description="Make the resized copies of the selected images again")
    def make_renditions_again(self, request, queryset):
        """For an image whose renditions failed, or whose task was lost: queued again."""
        queued = 0
        for image in queryset.exclude(state=Image.State.READY):
            image.ask_for_renditions()
            queued += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d image queued for its resized copies (ready ones are left alone).",
                "%(count)d images queued for their resized copies (ready ones are left alone).",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS,
        )

    @admin.display(description="Image")
    def thumbnail(self, image):
        return format_html(
            '<img src="{}" alt="" width="80" height="{}" loading="lazy">',
            image.thumb_url,
            round(80 * image.height / image.width) if image.width else 80,
        )

    @admin.display(description="Preview")
    def preview(self, image):
        if not image.pk:
            return "-"
        return format_html(
            '<img src="{}" srcset="{}" sizes="400px" alt="" width="400" height="{}">',
            image.src,
            image.srcset,
            round(400 * image.height / image.width) if image.width else 400,
        )

    @admin.display(description="Markdown for an article's body")
    def markdown(self, image):
        return format_html("<code>{}</code>", image.markdown) if image.pk else "-"

    @admin.display(description="Size")
    def size(self, image):
        return f"{image.width} × {image.height}" if image.width else "-"

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed or request.user.has_perm("fitness.delete_image"):
            return allowed
        return obj.uploaded_by_id == request.user.pk

    def save_model(self, request, obj, form, change):
        replaced = Image.objects.get(pk=obj.pk) if change and "file" in form.changed_data else None
        if "file" in form.changed_data:
            store_upload(form, by=request.user)
        else:
            super().save_model(request, obj, form, change)
        if replaced is not None:
            replaced.delete_files()

    def delete_model(self, request, obj):
        obj.remove()

    def delete_queryset(self, request, queryset):
        for image in queryset:
            image.remove()


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
    """WordPress's Settings › General and Discussion: one page, one row (django-solo). An empty
    field keeps the environment's value, which its help text shows."""

    class Media:
        css = {"all": ["css/admin-settings.css"]}

    fieldsets = [
        ("General", {"fields": ["name", "tagline", "description"]}),
        (
            "Discussion",
            {
                "fields": [
                    "hold_first_comments",
                    "close_comments_after_days",
                    "moderator_notices",
                    "reply_emails",
                ]
            },
        ),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["description"].widget.attrs["rows"] = 3  # a sentence or two
        for setting, field_name in site_settings.FIELDS.items():
            field = form.base_fields[field_name]
            default = environment_default(setting)
            if isinstance(field.widget, forms.NullBooleanSelect):
                field.widget.choices = [
                    ("unknown", f"Default ({default})"),
                    ("true", "Yes"),
                    ("false", "No"),
                ]
            elif field_name == "moderator_notices":
                field.choices = [("", f"Default ({default})"), *field.choices[1:]]
            else:
                hint = f"Empty: {default}, from {setting}."
                field.help_text = f"{field.help_text} {hint}".strip()
        return form


def environment_default(setting):
    """What the environment (or the app's default) gives `setting`, in words."""
    value = site_settings.environment(setting)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if setting == "COMMENTS_NOTIFY_MODERATORS":
        return dict(SiteSettings.ModeratorNotices.choices).get(value, value).lower()
    if setting == "COMMENTS_CLOSE_AFTER_DAYS" and not value:
        return "0 (never)"
    if setting == "SITE_DESCRIPTION" and not value:
        return "the tagline, or “The latest articles from” and the site title"
    return "nothing" if value == "" else str(value)
