"""The words and phrases staff keep for screening (read by `comments.screening.rules`)."""

from django.db import models


class ScreeningWord(models.Model):
    """A word or phrase that holds or refuses comments, edited by staff without a deploy."""

    class Kind(models.TextChoices):
        DISALLOWED = "disallowed", "Disallowed (to spam)"
        MODERATION = "moderation", "Moderation (held for review)"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    term = models.CharField(
        max_length=200,
        help_text="Matched case-insensitively inside name, email, website, text and IP.",
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "term"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "term"], name="screening_word_unique"),
        ]

    def __str__(self):
        return self.term
