"""Emails about comments: the record of each one sent (`Notification`, by comment and kind), and
the addresses that asked for reply emails with whether their owner said yes (`ReplyAddress`,
the double opt-in of `comments.notifications.optin`)."""

from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from comments.models.comments import Comment


class Notification(models.Model):
    """One email about one comment, by kind: sent once, retried while it has failed.

    At most one row per (comment, kind). A send that fails leaves the row FAILED with its error
    and attempt count, and the next chance to send it (the comment approved again, the digest
    run again) tries once more; a SENT row is never sent again. The recipient is named by role,
    not address: the addresses are in the comments and the user table already.
    """

    class Kind(models.TextChoices):
        HELD = "held", "Held for review (to moderators)"
        DIGEST = "digest", "In the moderators' digest"
        PUBLISHED = "published", "Published (to the article's author)"
        REPLY = "reply", "A reply is published (to the parent comment's author)"
        CONFIRM = "confirm", "Confirm reply emails (to the comment's author)"
        APPROVED = "approved", "Published after review (to the comment's author)"
        REMOVED = "removed", "Removed, and why (to the comment's author)"

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # Who each kind goes to.
    RECIPIENTS = {
        Kind.HELD: "moderators",
        Kind.DIGEST: "moderators",
        Kind.PUBLISHED: "the article's author",
        Kind.REPLY: "the parent comment's author",
        Kind.CONFIRM: "the comment's author",
        Kind.APPROVED: "the comment's author",
        Kind.REMOVED: "the comment's author",
    }

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipient = models.CharField(max_length=40)
    recipient_count = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=6, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "kind"], name="notification_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for comment {self.comment_id}: {self.status}"


class ReplyAddressQuerySet(models.QuerySet):
    def for_email(self, email: str) -> "ReplyAddressQuerySet":
        return self.filter(email__iexact=(email or "").strip())

    def confirmed(self) -> "ReplyAddressQuerySet":
        return self.filter(confirmed_at__isnull=False)


class ReplyAddress(models.Model):
    """An address someone asked to email about replies, and whether its owner said yes.

    Double opt-in: ticking "Email me replies" sends one confirmation email; reply emails go
    only to a confirmed address. "Stop all" (a link in every email) clears the confirmation and
    every comment's box; asking again means confirming again. Links name the row, signed, never
    the address.
    """

    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = ReplyAddressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Upper("email"), name="reply_address_email_unique"),
        ]

    def __str__(self):
        state = "confirmed" if self.confirmed_at else "not confirmed"
        return f"Reply emails to address {self.pk}: {state}"
