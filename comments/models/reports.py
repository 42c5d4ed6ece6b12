"""Readers' reports on a comment (`CommentReport`): why they think it should go, and what a
moderator decided. An "illegal content" report is a notice under the EU Digital Services Act
(Art. 16): it carries the reporter's explanation, name, email and statement of good faith, and
its reporter is told of receipt and of the decision (comments.notifications.reporters)."""

from django.db import models
from django.utils import timezone

from comments.conf import settings
from comments.models.comments import Comment


class CommentReportQuerySet(models.QuerySet):
    def open(self) -> "CommentReportQuerySet":
        """Not decided yet: what the queue's Reported view lists and the hold counts."""
        return self.filter(decision="")

    def decided(self) -> "CommentReportQuerySet":
        return self.exclude(decision="")

    def by_email(self, email: str) -> "CommentReportQuerySet":
        """Reports whose reporter gave this address (illegal-content notices)."""
        return self.filter(reporter_email__iexact=(email or "").strip())


class CommentReport(models.Model):
    """One reader's report on one comment; one per reader (browser) and per network a comment.

    The reporter is never shown to the comment's writer: not in an email, not in the writer's
    data export. `network` (what flood control counts: an IPv4 address or an IPv6 /64) and
    `reader` (the random token of the reporter's signed cookie) are cleared after
    COMMENTS_PERSONAL_DATA_DAYS; a decided report is deleted COMMENTS_REPORTS_RETENTION_DAYS
    after its decision (comments.services.reports.apply_retention).
    """

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Harassment or abuse"
        OFF_TOPIC = "off_topic", "Off-topic"
        ILLEGAL = "illegal", "Illegal content"
        OTHER = "other", "Something else"

    class Decision(models.TextChoices):
        OPEN = "", "Open"
        DISMISSED = "dismissed", "Dismissed: the comment stays"
        REMOVED = "removed", "Upheld: the comment was removed"
        SPAM = "spam", "Upheld: the comment was marked as spam"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.TextField(blank=True)
    # An illegal-content notice (DSA Art. 16(2)): why it is illegal, who says so, in good faith.
    explanation = models.TextField(blank=True)
    reporter_name = models.CharField(max_length=100, blank=True)
    reporter_email = models.EmailField(max_length=254, blank=True)
    good_faith = models.BooleanField(default=False)
    # Who, as far as one-per-reader and the hold count go: cleared after retention.
    network = models.CharField(max_length=50, blank=True)
    reader = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    decision_sent_at = models.DateTimeField(null=True, blank=True)
    scrubbed_at = models.DateTimeField(null=True, blank=True)

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader"],
                condition=~models.Q(reader=""),
                name="report_once_per_reader",
            ),
            models.UniqueConstraint(
                fields=["comment", "network"],
                condition=~models.Q(network=""),
                name="report_once_per_network",
            ),
            models.CheckConstraint(
                condition=models.Q(reason__in=["spam", "abuse", "off_topic", "illegal", "other"]),
                name="report_reason_valid",
            ),
        ]
        indexes = [
            # A comment's open reports (the hold, the Reported view), and what is open at all.
            models.Index(fields=["decision", "comment"], name="report_open_idx"),
            # A network's reports in the last hour (the rate limit).
            models.Index(fields=["network", "created_at"], name="report_network_idx"),
            # Decisions due to be emailed, and decided reports past retention.
            models.Index(fields=["decided_at"], name="report_decided_idx"),
        ]

    def __str__(self):
        return f"Report on comment {self.comment_id}: {self.get_reason_display()}"

    @property
    def is_notice(self) -> bool:
        """An illegal-content notice, whose reporter is told of receipt and decision."""
        return self.reason == self.Reason.ILLEGAL
