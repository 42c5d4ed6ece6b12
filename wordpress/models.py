"""What an import remembers: which article, page, image and comment each WordPress id became,
and each run's report. The tables were made by the apps these models lived in first; their
names are kept, so moving the models moved no data."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from comments.models import Comment
from fitness.articles.models import Article, Image, Page


class ImportedPost(models.Model):
    """An article, a standalone page or an image that came from another site's export
    (WordPress), keyed on that site's id (WordPress numbers posts, pages and attachments in one
    sequence).

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
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="imported_from"
    )
    # An attachment (an upload) made an image of the media library.
    image = models.OneToOneField(
        Image, null=True, blank=True, on_delete=models.CASCADE, related_name="imported_from"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "fitness_importedpost"  # made by the articles app, kept
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="imported_post_once"),
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, page__isnull=True, image__isnull=True)
                | models.Q(article__isnull=True, page__isnull=False, image__isnull=True)
                | models.Q(article__isnull=True, page__isnull=True, image__isnull=False),
                name="imported_post_is_one_thing",
            ),
        ]

    def __str__(self):
        return f"{self.source} #{self.source_id} -> {self.article or self.page or self.image}"


class ImportedComment(models.Model):
    """A comment that came from another site's export (WordPress), keyed on that site's id.

    What the import set is kept (`source_status`, `source_hash`), so that a later export
    changes a comment only where the old site changed it, and never undoes moderation done here.
    """

    source = models.CharField(max_length=200, help_text="The old site's address.")
    source_id = models.PositiveBigIntegerField()
    source_status = models.CharField(max_length=20, blank=True)
    source_hash = models.CharField(max_length=64, blank=True)
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="imported_from")

    class Meta:
        db_table = "comments_importedcomment"  # made by the comments app, kept
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="imported_comment_once"),
        ]

    def __str__(self):
        return f"{self.source} comment #{self.source_id} -> {self.comment_id}"


class ImportRun(models.Model):
    """One run of the WordPress import (from the admin or the command) and its report."""

    created_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    ok = models.BooleanField(default=False, help_text="The file could be read to its end.")
    report = models.TextField(blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "comments_importrun"  # made by the comments app, kept
        ordering = ["-created_at"]
        verbose_name = "WordPress import"

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
