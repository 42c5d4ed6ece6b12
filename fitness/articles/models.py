from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from fitness.articles import images
from fitness.articles.markdown import render


def summarize(html):
    """The first 40 words of rendered HTML, as plain text."""
    return Truncator(strip_tags(html)).words(40)


ALT_REQUIRED = "Describe the image in a few words: alt text is read aloud to blind readers."


class Image(models.Model):
    """One picture of the media library: the clean original (upright, no EXIF/GPS) and its
    resized WebP renditions (fitness/articles/images.py), shown by
    templates/fitness/includes/picture.html
    and inside article bodies as `![alt](image:ID)`."""

    file = models.ImageField(
        upload_to=images.upload_to,
        validators=[images.validate_upload],
        help_text=(
            "JPEG, PNG, WebP or GIF. It is stored without its camera data (EXIF, GPS), turned "
            "upright, and resized for phones and wide screens."
        ),
    )
    alt = models.CharField(
        "alt text",
        max_length=250,
        help_text=(
            "What the image shows, for readers who cannot see it (screen readers, slow "
            'connections). For example "A runner stretching her calf against a wall".'
        ),
        error_messages={"blank": ALT_REQUIRED},
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Who made it; its licence.")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    # [{"name": storage name, "width": px, "height": px}, ...], narrowest first.
    renditions = models.JSONField(default=list, editable=False, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.alt

    def prepare(self):
        """Clean the fresh upload and write its renditions (before the row is saved)."""
        return images.prepare(self)

    def delete_files(self):
        images.delete_files(self)

    def articles_showing(self):
        """The articles and pages whose body shows this image (`![...](image:ID)`), a few
        false friends (image:12 in image:123) included: re-rendering one changes nothing."""
        needle = f"(image:{self.pk}"
        return [
            *Article.objects.filter(body__contains=needle),
            *Page.objects.filter(body__contains=needle),
        ]

    def refresh_articles(self):
        """Render again the bodies that show this image: their HTML carries its addresses and
        its alt text, written when they were saved."""
        for article in self.articles_showing():
            article.save(update_fields=["body", "updated_at"])

    def remove(self):
        """Delete this image and its files; the articles that showed it then show nothing
        there (and their authors are told in the editor), never a broken image."""
        articles = self.articles_showing()
        self.delete_files()
        self.delete()
        for article in articles:
            article.save(update_fields=["body", "updated_at"])

    @property
    def markdown(self):
        """What an author pastes into an article's body to show this image there."""
        return f"![{self.alt.replace(']', '')}](image:{self.pk})"

    def _url(self, name):
        return self.file.storage.url(name)

    def _share_rendition(self):
        """The rendition nearest 1200 px wide (the largest not above it), if any."""
        if not self.renditions:
            return None
        fitting = [r for r in self.renditions if r["width"] <= 1200]
        return fitting[-1] if fitting else self.renditions[0]

    @property
    def src(self):
        rendition = self._share_rendition()
        return self._url(rendition["name"]) if rendition else self.file.url

    @property
    def thumb_url(self):
        """The smallest copy, for the admin's lists."""
        return self._url(self.renditions[0]["name"]) if self.renditions else self.file.url

    @property
    def srcset(self):
        return ", ".join(f"{self._url(r['name'])} {r['width']}w" for r in self.renditions)

    @property
    def share_url(self):
        """Absolute URL of a ~1200 px rendition, for OpenGraph, Twitter cards and JSON-LD."""
        url = self.src
        return url if "://" in url else f"{settings.SITE_URL}{url}"

    @property
    def share_width(self):
        rendition = self._share_rendition()
        return rendition["width"] if rendition else self.width

    @property
    def share_height(self):
        rendition = self._share_rendition()
        return rendition["height"] if rendition else self.height

    def img_attributes(self, *, sizes, eager=False, alt=None):
        """The attributes of this image's `<img>` (picture.html and article bodies use them)."""
        attributes = {"src": self.src, "alt": self.alt if alt is None else alt}
        if self.renditions:
            attributes |= {"srcset": self.srcset, "sizes": sizes}
        attributes |= {"width": str(self.width), "height": str(self.height)}
        if not eager:
            attributes["loading"] = "lazy"
        return attributes


class RenderedBody:
    """A model with a Markdown `body` kept rendered in `body_html` and `body_summary` (articles
    and pages): rendered once at save, not on every request (as djangoproject.com's blog does);
    stripping the tags of a long body for its summary takes about 0.4 ms."""

    def render_body(self):
        """The body as readers see it (and what they will not see), for the page and the
        admin's preview alike."""
        return render(self.body, library=Image.objects.in_bulk)

    def render_body_fields(self, save_kwargs):
        rendered = self.render_body()
        self.body_html = rendered.html
        # What the reader will not see as written; the admin shows it after the save.
        self.body_problems = rendered.problems
        self.body_summary = summarize(self.body_html)
        fields = save_kwargs.get("update_fields")
        if fields is not None and "body" in fields:
            save_kwargs = {**save_kwargs, "update_fields": {*fields, "body_html", "body_summary"}}
        return save_kwargs


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
            .select_related("author", "featured_image")
            .prefetch_related("categories")
            .defer("body", "body_html")
        )


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
        kwargs = self.render_body_fields(kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @classmethod
    def touch(cls, pks):
        """Mark these articles changed (their page's ETag moves) for what is not on their row:
        their categories and tags, a term's new name."""
        cls.objects.filter(pk__in=list(pks)).update(updated_at=timezone.now())

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


def redirect_key(path: str, query: str = "") -> str:
    """How an old address is stored and looked up: the decoded path without its trailing
    slash ("/" stays "/"), then "?query" when the old site needed one (`?p=5`)."""
    path = unquote(path or "/").rstrip("/") or "/"
    return f"{path}?{query}" if query else path


FROM_OLD_SITE = "from=wordpress"


class Redirect(models.Model):
    """An address of the old site that answers 301 with its new one
    (`fitness.articles.redirects`)."""

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

    def save(self, *args, **kwargs):
        kwargs = self.render_body_fields(kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("page", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED
