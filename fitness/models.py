from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .markdown import render_markdown


def summarize(html):
    """The first 40 words of rendered HTML, as plain text."""
    return Truncator(strip_tags(html)).words(40)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see: published, with a publish date that has come."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.CharField(max_length=60, default="Fitness")
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
    """An article (or a standalone page) that came from another site's export (WordPress),
    keyed on that site's id (WordPress numbers posts and pages in one sequence).

    A second import of the same export finds the article here and changes nothing; a later one
    updates an article only if the post was modified there since (`source_modified`), so an
    edit made here is not overwritten by an export that did not touch the post.
    """

    source = models.CharField(max_length=200, help_text="The old site's address.")
    source_id = models.PositiveBigIntegerField()
    source_type = models.CharField(max_length=20, default="post")
    source_modified = models.DateTimeField(null=True, blank=True)
    article = models.OneToOneField(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="imported_from"
    )
    page = models.OneToOneField(
        "Page", null=True, blank=True, on_delete=models.CASCADE, related_name="imported_from"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="imported_post_once"),
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, page__isnull=True)
                | models.Q(article__isnull=True, page__isnull=False),
                name="imported_post_is_an_article_or_a_page",
            ),
        ]

    def __str__(self):
        return f"{self.source} #{self.source_id} -> {self.article or self.page}"


def redirect_key(path: str, query: str = "") -> str:
    """How an old address is stored and looked up: the decoded path without its trailing
    slash ("/" stays "/"), then "?query" when the old site needed one (`?p=5`)."""
    path = unquote(path or "/").rstrip("/") or "/"
    return f"{path}?{query}" if query else path


FROM_OLD_SITE = "from=wordpress"


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
        if self.source:
            # The old link may end in WordPress's #comment-5, which the browser keeps across
            # the 301 and which is not our comment 5: the flag lets static/js/comments.js
            # send it to /comments/wordpress/5/, which knows where that comment is now.
            return f"{self.article.get_absolute_url()}?{FROM_OLD_SITE}"
        return self.article.get_absolute_url()


# Top-level addresses a page may never take: the site's own sections live there.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "admin", "articles", "author", "authors", "category", "comments", "feed", "healthz",
        "media", "page", "pages", "privacy", "robots.txt", "search", "sitemap.xml", "static",
        "tag", "_bench",
    }
)  # fmt: skip


def validate_page_slug(slug):
    if slug.lower() in RESERVED_PAGE_SLUGS:
        raise ValidationError(
            f"“{slug}” is an address the site uses for itself; choose another for this page."
        )


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Page.Status.PUBLISHED)


class Page(models.Model):
    """A standalone page (About, Contact) at /<slug>/, as WordPress has them: not an article, so
    never in the article list, the feeds or search, no date and no comments; linked from the
    footer when `in_footer` is set."""

    Status = Article.Status

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        validators=[validate_page_slug],
        help_text="The page's address: /<slug>/ (an old WordPress page keeps its own).",
    )
    body = models.TextField(help_text="Markdown, as in articles.")
    body_html = models.TextField(editable=False, default="")
    body_summary = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    in_footer = models.BooleanField("linked from the footer", default=True)
    menu_order = models.IntegerField(default=0, help_text="Lower numbers come first in the footer.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        self.body_summary = summarize(self.body_html)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("page", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED
