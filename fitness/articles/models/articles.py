"""The article, who may read or edit it, and when it takes comments."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from fitness.articles import archives, site_settings
from fitness.articles.models.bodies import RenderedBody
from fitness.articles.models.images import Image
from fitness.articles.models.search import SearchDocument
from fitness.articles.models.terms import Category, Tag
from fitness.core.reversing import reverse_cached


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see: published, with a publish date that has come."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        """Articles published with a publish date still to come: readers see them from then."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def readable_by(self, user):
        """What `user` may open: published articles; also drafts and scheduled ones for whoever
        may edit them (any for editors, their own for authors)."""
        if can_edit_any_article(user):
            return self
        if user.is_authenticated and user.has_perm("fitness.change_article"):
            now = timezone.now()
            return self.filter(
                models.Q(status=Article.Status.PUBLISHED, publish_at__lte=now)
                | models.Q(author=user)
            )
        return self.published()

    def editable_by(self, user):
        """The articles `user` may change in the admin: all for editors, else their own."""
        return self if can_edit_any_article(user) else self.filter(author=user)

    def for_listing(self):
        """Published, with what a card shows and nothing more (no body; categories in one
        query for the whole page)."""
        return (
            self.published()
            .select_related("author", "featured_image", "body_image")
            .prefetch_related("categories")
            .defer("body", "body_html")
        )


LIBRARY_IMAGE = re.compile(r"image:(\d+)")


def first_library_image(body):
    """The id of the first media-library image (`image:ID`) in a body that exists, or None."""
    ids = [int(found) for found in LIBRARY_IMAGE.findall(body or "")[:20]]
    if not ids:
        return None
    existing = set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return next((pk for pk in ids if pk in existing), None)


# The writers' group (fitness/articles/migrations/0005_authors_group.py): their own articles only.
AUTHORS_GROUP = "Authors"


def can_edit_any_article(user) -> bool:
    """Editors (superusers, or the `edit_any_article` permission) change anybody's article;
    anyone else who may change articles (the Authors group) changes only their own."""
    return bool(user and user.is_active and user.has_perm("fitness.edit_any_article"))


class Article(RenderedBody, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    byline = models.CharField(
        max_length=100,
        blank=True,
        help_text="Name shown as the author; defaults to the author account's name.",
    )
    featured_image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the article, on the home page and when it is shared.",
    )
    excerpt = models.TextField(
        blank=True, help_text="Shown on the home page; leave blank to use the body's start."
    )
    body = models.TextField(
        help_text=(
            "Markdown: ## headings, lists, links, tables; images from the media library "
            "as ![alt text](image:ID)."
        )
    )
    body_html = models.TextField(editable=False, default="")
    # The body's first library image (set at save): the card's picture when there is no
    # featured image.
    body_image = models.ForeignKey(
        Image, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    # The body's first words as plain text, for listings, feeds and the meta description.
    body_summary = models.TextField(editable=False, default="")
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="The title search engines and shared links show; leave blank to use the title.",
    )
    meta_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="The summary search engines show; leave blank to use the excerpt.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        default=timezone.now,
        help_text="A date in the future schedules the article.",
    )
    comments_open = models.BooleanField(default=True)
    # Kept up to date by the comments app, so listing articles never counts comments per row.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # How many threads its pages list (top-level comments readers see), kept with comment_count:
    # a page of threads is found without counting them (their number grows with the discussion).
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    # Bumped by every change readers can see in the discussion; part of the thread's cache key.
    comments_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at"]
        indexes = [models.Index(fields=["status", "publish_at"])]
        permissions = [("edit_any_article", "Can edit, publish and delete anybody's article")]

    def __str__(self):
        return self.title

    # What the search reads of the row itself (its terms come through touch()).
    SEARCHED_FIELDS = frozenset({"title", "excerpt", "body"})

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or "body" in fields:
            self.body_image_id = first_library_image(self.body)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "body_image"}
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or self.SEARCHED_FIELDS & set(fields):
            SearchDocument.refresh([self.pk])

    def get_absolute_url(self):
        return reverse_cached("articles:detail", kwargs={"slug": self.slug})

    @classmethod
    def touch(cls, pks):
        """Mark these articles changed (their page's ETag moves) for what is not on their row:
        their categories and tags, a term's new name, their author's, an image's alt text
        (fitness/articles/signal_handlers.py); their search rows follow."""
        pks = list(pks)
        cls.objects.filter(pk__in=pks).update(updated_at=timezone.now())
        SearchDocument.refresh(pks)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def author_name(self):
        if self.byline:
            return self.byline
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return "The Fitness team"

    @property
    def card_image(self):
        """The picture on the article's card: its featured image, else its body's first."""
        return self.featured_image or self.body_image

    @property
    def summary(self):
        return self.excerpt or self.body_summary

    @property
    def page_title(self):
        return self.seo_title or self.title

    @property
    def page_description(self):
        return self.meta_description or self.summary

    @property
    def month_archive(self):
        """The month it was published in (its date on the page links to that archive)."""
        return archives.of(self.publish_at, "month")

    @property
    def author_url(self):
        """The author's page ("" for an article without an account behind it)."""
        if not self.author_id:
            return ""
        return reverse("articles:author", kwargs={"username": self.author.get_username()})

    def comments_closed_at(self):
        """When comments close automatically (None: they never do by age)."""
        days = site_settings.get("COMMENTS_CLOSE_AFTER_DAYS")
        return self.publish_at + timedelta(days=days) if days else None

    def accepts_comments(self, now=None):
        """Readers may comment: the switch is on and the discussion is not too old."""
        if not self.comments_open:
            return False
        closes_at = self.comments_closed_at()
        return closes_at is None or (now or timezone.now()) < closes_at
