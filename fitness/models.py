from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .markdown import render_markdown


def summarize(html):
    """The first 40 words of rendered HTML, as plain text."""
    return Truncator(strip_tags(html)).words(40)


class Term(models.Model):
    """What categories and tags share: a name, the slug of its archive page, a description."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="Shown at the top of its archive page.")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Category(Term):
    class Meta(Term.Meta):
        verbose_name_plural = "categories"

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class Tag(Term):
    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see: published, with a publish date that has come."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

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
            .select_related("author")
            .prefetch_related("categories")
            .defer("body", "body_html")
        )


# The writers' group (fitness/migrations/0003_authors_group.py): their own articles only.
AUTHORS_GROUP = "Authors"


def can_edit_any_article(user) -> bool:
    """Editors (superusers, or the `edit_any_article` permission) change anybody's article;
    anyone else who may change articles (the Authors group) changes only their own."""
    return bool(user and user.is_active and user.has_perm("fitness.edit_any_article"))


class Article(models.Model):
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
    excerpt = models.TextField(
        blank=True, help_text="Shown on the home page; leave blank to use the body's start."
    )
    body = models.TextField(help_text="Markdown: headings, lists, links, tables, images by URL.")
    body_html = models.TextField(editable=False, default="")
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

    def save(self, *args, **kwargs):
        # The body is rendered once here, not on every request (as djangoproject.com's blog does).
        # So is its summary: stripping the tags of a long body takes about 0.4 ms.
        self.body_html = render_markdown(self.body)
        self.body_summary = summarize(self.body_html)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "body_summary"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

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
    def summary(self):
        return self.excerpt or self.body_summary

    @property
    def page_title(self):
        return self.seo_title or self.title

    @property
    def page_description(self):
        return self.meta_description or self.summary

    @property
    def author_url(self):
        """The author's page ("" for an article without an account behind it)."""
        if not self.author_id:
            return ""
        return reverse("articles:author", kwargs={"username": self.author.get_username()})

    def comments_closed_at(self):
        """When comments close automatically (None: they never do by age)."""
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        return self.publish_at + timedelta(days=days) if days else None

    def accepts_comments(self, now=None):
        """Readers may comment: the switch is on and the discussion is not too old."""
        if not self.comments_open:
            return False
        closes_at = self.comments_closed_at()
        return closes_at is None or (now or timezone.now()) < closes_at


class ImportedPost(models.Model):
    """An article that came from another site's export (WordPress), keyed on that site's id.

    A second import of the same export finds the article here and changes nothing; a later one
    updates an article only if the post was modified there since (`source_modified`), so an
    edit made here is not overwritten by an export that did not touch the post.
    """

    source = models.CharField(max_length=200, help_text="The old site's address.")
    source_id = models.PositiveBigIntegerField()
    source_type = models.CharField(max_length=20, default="post")
    source_modified = models.DateTimeField(null=True, blank=True)
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="imported_from")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="imported_post_once"),
        ]

    def __str__(self):
        return f"{self.source} #{self.source_id} -> {self.article}"


def redirect_key(path: str, query: str = "") -> str:
    """How an old address is stored and looked up: the decoded path without its trailing
    slash ("/" stays "/"), then "?query" when the old site needed one (`?p=5`)."""
    path = unquote(path or "/").rstrip("/") or "/"
    return f"{path}?{query}" if query else path


class Redirect(models.Model):
    """An address of the old site that answers 301 with its new one (`fitness.redirects`)."""

    old_path = models.CharField(max_length=500, unique=True, help_text="See redirect_key().")
    # Where it goes: the article (its address as it is now), or a fixed path on this site.
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="old_addresses"
    )
    target = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="The old site's address.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(article__isnull=True, target=""),
                name="redirect_has_a_target",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} -> {self.location()}"

    def location(self) -> str:
        if self.target:
            return self.target
        return self.article.get_absolute_url()
