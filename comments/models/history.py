"""A comment's history: one append-only line per thing that happened to it."""

from django.db import models
from django.utils import timezone

from comments.conf import settings
from comments.models.comments import Comment


class CommentEventManager(models.Manager):
    def record(
        self,
        comment: "Comment",
        *,
        kind: str = "status",
        by=None,
        actor_label: str = "",
        note: str = "",
        from_status: str = "",
        to_status: str = "",
    ) -> "CommentEvent":
        """Append one line to the comment's history. `by` is a user (or None for the system);
        `actor_label` names a non-user actor such as "Akismet" or "rule: first_time"."""
        return self.create(
            comment=comment,
            kind=kind,
            actor=by if by is not None and by.is_authenticated else None,
            actor_label=actor_label or ("" if by is not None else "system"),
            from_status=from_status,
            to_status=to_status,
            note=note,
        )


class CommentEvent(models.Model):
    """One line of a comment's history. Append-only: never edited, never deleted on its own."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status change"
        SCREENING = "screening", "Screening"
        AKISMET_CHECK = "akismet_check", "Akismet check"
        AKISMET_REPORT = "akismet_report", "Report to Akismet"
        NOTIFICATION = "notification", "Notification"
        PRIVACY = "privacy", "Privacy"
        EDIT = "edit", "Edit"
        REPORT = "report", "Readers' reports"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="history")
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATUS)
    # Who: a user, or a label such as "Akismet" or "rule: first_time".
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=100, blank=True)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)

    objects = CommentEventManager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["comment", "created_at"], name="comment_event_idx"),
            # A day's history at once: the moderation insights' rollup (services/insights.py).
            models.Index(fields=["created_at"], name="comment_event_created_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.who}: {self.from_status}->{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Comment history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Comment history is append-only.")

    @property
    def who(self) -> str:
        if self.actor_id:
            return self.actor.get_username()
        return self.actor_label or "system"
