"""The media library: an uploaded picture and its renditions (files: fitness/articles/images.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fitness.articles import images

ALT_REQUIRED = "Describe the image in a few words: alt text is read aloud to blind readers."


class State(models.TextChoices):
    PROCESSING = "processing", "processing…"
    READY = "ready", "ready"
    FAILED = "failed", "failed"


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
    # Renditions are made after the upload's request, by a task (fitness/articles/tasks.py):
    # until then the image is shown from its clean original.
    state = models.CharField(max_length=10, choices=State.choices, default=State.READY)
    failure = models.TextField(
        blank=True, editable=False, help_text="Why its renditions could not be made."
    )
    # When its renditions were asked for (the scheduler's image-renditions job takes back those
    # asked for long ago and not made: fitness/articles/tasks.py `take_back_stuck`).
    processing_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.alt

    State = State

    def prepare(self):
        """Clean the fresh upload and write its renditions (before the row is saved), all at
        once: for the command line (the WordPress import, the demo), not a request."""
        return images.prepare(self)

    @property
    def processing(self):
        return self.state == State.PROCESSING

    def queue_renditions(self):
        """Have its renditions made by a task once the caller's transaction commits (the row
        must be saved, in state "processing"); the task (fitness/articles/tasks.py) checks that
        the file is still the one it was asked about."""
        from fitness.articles.tasks import schedule_renditions  # tasks import this module

        schedule_renditions(self)

    def ask_for_renditions(self):
        """Make it "processing" again (its renditions failed, or their task was lost) and
        queue its renditions."""
        self.state, self.failure, self.processing_since = State.PROCESSING, "", timezone.now()
        self.save(update_fields=["state", "failure", "processing_since"])
        self.queue_renditions()

    def delete_files(self):
        images.delete_files(self)

    def articles_showing(self):
        """The articles and pages whose body shows this image (`![...](image:ID)`), a few
        false friends (image:12 in image:123) included: re-rendering one changes nothing."""
        # Imported here: articles and pages import this module (their bodies show images).
        from fitness.articles.models import Article, Page

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

    def url_for_width(self, width=None):
        """The address of the copy nearest `width` pixels wide: the narrowest rendition at
        least that wide, else the widest; the original for None (an old site's address of
        its resized copy of this image is sent here)."""
        if width is None or not self.renditions:
            return self.file.url
        wide_enough = [r for r in self.renditions if r["width"] >= width]
        return self._url((wide_enough[0] if wide_enough else self.renditions[-1])["name"])

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
