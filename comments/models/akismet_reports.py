"""A moderator's correction on its way to Akismet (`comments.services.akismet_reports`)."""

from django.db import models
from django.utils import timezone

from comments.conf import settings
from comments.models.comments import Comment


class AkismetReport(models.Model):
    """A moderator's correction sent to Akismet (submit-spam / submit-ham), retried until sent."""

    class Kind(models.TextChoices):
        SPAM = "spam", "Spam (submit-spam)"
        HAM = "ham", "Ham (submit-ham)"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"
        SKIPPED = "skipped", "Not sent (Akismet off)"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="akismet_reports")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="akismet_report_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} report for comment {self.comment_id}: {self.status}"
