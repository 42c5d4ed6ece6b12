"""Standalone pages (About, Contact) at /<slug>/, and the addresses they may not take."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from fitness.articles.models.articles import Article
from fitness.articles.models.bodies import RenderedBody

# Top-level addresses a page may never take: the site's own sections live there.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "accounts", "admin", "articles", "author", "authors", "category", "comments", "feed",
        "healthz", "media", "page", "pages", "privacy", "robots.txt", "search", "sitemap.xml",
        "static", "tag", "_bench",
    }
)  # fmt: skip


def is_reserved_page_slug(slug: str) -> bool:
    """The site's own sections, and four digits: /2010/ is the year's archive."""
    return slug.lower() in RESERVED_PAGE_SLUGS or (
        len(slug) == 4 and slug.isascii() and slug.isdigit()
    )


def validate_page_slug(slug):
    if is_reserved_page_slug(slug):
        raise ValidationError(
            f"“{slug}” is an address the site uses for itself; choose another for this page."
        )


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Page.Status.PUBLISHED)


class Page(RenderedBody, models.Model):
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
    body = models.TextField(
        help_text=(
            "Markdown, as in articles; images from the media library as ![alt text](image:ID)."
        )
    )
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

    def get_absolute_url(self):
        return reverse("page", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED
