"""
The site's own settings, edited in the admin (WordPress's Settings › General and Discussion):
one row (django-solo's singleton). An empty field means "the environment's value": SITE_NAME,
SITE_TAGLINE, SITE_DESCRIPTION and the COMMENTS_* variables give the defaults, the admin
overrides them, and a change takes effect at once (fitness/articles/site_settings.py reads and
caches the row).
"""

from django.db import models
from solo.models import SingletonModel


class SiteSettings(SingletonModel):
    class ModeratorNotices(models.TextChoices):
        EACH = "each", "An email for each held comment"
        DIGEST = "digest", "An hourly digest"
        OFF = "off", "No email"

    name = models.CharField("site title", max_length=100, blank=True)
    tagline = models.CharField(
        max_length=200, blank=True, help_text="In a few words, what this site is about."
    )
    description = models.TextField(
        max_length=300,
        blank=True,
        help_text=(
            "A sentence or two for search engines and feed readers (the pages' meta "
            "description and the feeds' description)."
        ),
    )
    hold_first_comments = models.BooleanField(
        "hold a commenter's first comment",
        null=True,
        blank=True,
        help_text="Until one of theirs has been approved, as WordPress does.",
    )
    close_comments_after_days = models.PositiveIntegerField(
        "close comments after (days)",
        null=True,
        blank=True,
        help_text="After an article's publication; 0: never.",
    )
    moderator_notices = models.CharField(
        "tell moderators about held comments",
        max_length=10,
        blank=True,
        choices=ModeratorNotices.choices,
    )
    reply_emails = models.BooleanField(
        "offer reply emails",
        null=True,
        blank=True,
        help_text="Commenters may ask to be emailed replies to their comment.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"
