"""
A comment and its place in a thread: what readers see, what moderators change.

A comment moves between statuses (pending, approved, spam, removed); nothing but a superuser's
hard delete removes a row. Every change of status goes through `comments.services.status` and
leaves an append-only `CommentEvent` (`comments.models.history`).

Threads are stored so that one query reads a page of them in display order: each comment knows
its top-level ancestor (`thread`), its `depth` and a materialised `path` of zero-padded ids that
sorts a thread depth-first.
"""

import ipaddress

from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone

from comments.conf import settings

PATH_SEGMENT_WIDTH = 10


def path_segment(pk: int) -> str:
    return str(pk).zfill(PATH_SEGMENT_WIDTH)


class CommentQuerySet(models.QuerySet):
    OPEN_REPORT_COUNT = "open_report_count"  # the annotation `with_open_report_counts` adds

    def public(self) -> "CommentQuerySet":
        """What readers may see."""
        return self.filter(status=Comment.Status.APPROVED)

    def in_moderation(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)

    def spam(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.SPAM)

    def for_article(self, article) -> "CommentQuerySet":
        return self.filter(article=article)

    def by_email(self, email) -> "CommentQuerySet":
        """Written from this address, letter case and the spaces around it aside. `email` is
        a str, or an expression giving one already stripped (a slot of a compiled query:
        fitness.core.prepared). UPPER on both sides, as comment_email_upper_idx is kept."""
        value = Value(email.strip()) if isinstance(email, str) else email
        return self.filter(Exact(Upper("author_email"), Upper(value)))

    def in_network(self, network) -> "CommentQuerySet":
        """Sent from an address inside `network` (an `ipaddress` network, "203.0.113.0/24",
        "2001:db8::/64"): one condition in the query (`InNetwork`)."""
        return self.filter(ip_address__in_network=str(network))

    def with_open_report_counts(self) -> "CommentQuerySet":
        """Each comment with its number of open readers' reports (those no moderator has
        decided on) as `open_report_count`, in the same query (a subquery: no GROUP BY over
        the page). Rows that offer "Dismiss reports" read it rather than count per row."""
        counted = (
            self._open_reports()
            .filter(comment=OuterRef("pk"))
            .order_by()
            .values("comment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        count = Coalesce(Subquery(counted, output_field=IntegerField()), 0)
        return self.annotate(**{self.OPEN_REPORT_COUNT: count})

    def reported(self) -> "CommentQuerySet":
        """With at least one open readers' report (the queue's Reported view)."""
        return self.filter(Exists(self._open_reports().filter(comment=OuterRef("pk"))))

    def _open_reports(self):
        # The reports' model through its relation: comments.models.reports leans on this
        # module, never the reverse.
        return self.model._meta.get_field("reports").related_model.objects.open()


class InNetwork(models.Lookup):
    """`ip_address__in_network="203.0.113.0/24"`: PostgreSQL's `<<=` on its inet column; on
    SQLite the function `register_sqlite_functions` gives each connection."""

    lookup_name = "in_network"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} <<= ({rhs})::inet", [*lhs_params, *rhs_params]
        return f"{SQLITE_IN_NETWORK}({lhs}, {rhs})", [*lhs_params, *rhs_params]

    def get_db_prep_lookup(self, value, connection):
        return "%s", [str(value)]


SQLITE_IN_NETWORK = "comments_ip_in_network"


def _ip_in_network(address, network):
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(network, strict=False)
    except (TypeError, ValueError):
        return False


def register_sqlite_functions(sender, connection, **kwargs):
    """`connection_created`: SQLite learns `InNetwork`'s function (PostgreSQL has `<<=`)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_IN_NETWORK, 2, _ip_in_network, deterministic=True
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    class Akismet(models.TextChoices):
        NOT_CHECKED = "", "Not checked"
        HAM = "ham", "Ham"
        SPAM = "spam", "Spam"
        BLATANT = "blatant", "Blatant spam"
        UNCHECKED = "unchecked", "Unchecked (Akismet failed)"
        OFF = "off", "Off (no key)"

    article = models.ForeignKey(
        "fitness.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level ancestor; a top-level comment points at itself (set right after insert).
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    path = models.CharField(max_length=255, blank=True, default="", editable=False)
    # On a top-level comment: readers see this thread (the comment is approved, or an approved
    # reply keeps it as a placeholder). Kept by `threads.refresh_visibility`, so a page of
    # threads is one index range however much spam or pending mail the article collects.
    thread_visible = models.BooleanField(default=False, editable=False)
    # How many readers marked it helpful (comments.services.reactions keeps it with the marks):
    # shown on the comment and the "Most helpful" order of threads, never counted per page.
    helpful_count = models.PositiveIntegerField(default=0, editable=False)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField("name", max_length=100)
    author_email = models.EmailField("email", max_length=254, blank=True)
    author_url = models.URLField("website", max_length=200, blank=True)
    # The person behind it (comments.services.commenters): kept by the posting sequence.
    commenter = models.ForeignKey(
        "comments.Commenter", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="comments", db_index=False, editable=False,
    )  # fmt: skip
    body = models.TextField("comment")
    body_html = models.TextField(editable=False, default="")
    # The writer ticked "Email me replies to this comment"; a stop link in each email clears it.
    notify_replies = models.BooleanField("email replies", default=False)
    # The writer ticked "Email me when my comment is published": one email if a moderator
    # approves it (comments.notifications.writers); cleared with notify_replies by "stop all".
    notify_published = models.BooleanField("email when published", default=False)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Request context: personal data, scrubbed after COMMENTS_PERSONAL_DATA_DAYS.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    scrubbed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    # Screening: every step's verdict, as [{"step", "verdict", "reason", "ms"}, ...].
    screening = models.JSONField(default=list, blank=True)

    # Akismet: exactly what was sent (later reports send the same) and what came back.
    akismet_verdict = models.CharField(
        max_length=10, choices=Akismet.choices, default=Akismet.NOT_CHECKED, blank=True
    )
    akismet_request = models.JSONField(default=dict, blank=True)
    akismet_response = models.JSONField(default=dict, blank=True)
    akismet_checked_at = models.DateTimeField(null=True, blank=True)
    akismet_attempts = models.PositiveSmallIntegerField(default=0)
    akismet_next_check_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("moderate_comment", "Can moderate comments"),
            # Privacy requests (export, erasure) are a separate duty: the "Privacy" group.
            ("handle_privacy_requests", "Can export and erase commenter data"),
        ]
        indexes = [
            # A page of top-level threads: article, status, depth=0, in date order.
            models.Index(
                fields=["article", "depth", "status", "created_at"], name="comment_threads_idx"
            ),
            # A page of visible threads, in order, read straight off the index.
            models.Index(
                fields=["article", "created_at", "id"],
                name="comment_visible_threads_idx",
                condition=models.Q(depth=0, thread_visible=True),
            ),
            # The same, "Most helpful" first (?sort=helpful), read straight off the index.
            models.Index(
                "article",
                models.F("helpful_count").desc(),
                "created_at",
                "id",
                name="comment_helpful_threads_idx",
                condition=models.Q(depth=0, thread_visible=True),
            ),
            # The comments of those threads in display order.
            models.Index(fields=["thread", "path"], name="comment_thread_path_idx"),
            # The moderation queue and the purge.
            models.Index(fields=["status", "created_at"], name="comment_status_idx"),
            # The queue's "all comments" view: newest first without sorting the whole table.
            models.Index(fields=["created_at"], name="comment_created_idx"),
            # Everything by one email, case-insensitively: the first-time and duplicate rules
            # on every post, and the privacy export and erasure.
            models.Index(Upper("author_email"), "status", name="comment_email_upper_idx"),
            models.Index(fields=["akismet_next_check_at"], name="comment_recheck_idx"),
            # A commenter's comments, newest first (their page), and counted by status.
            models.Index(fields=["commenter", "created_at"], name="comment_commenter_idx"),
            models.Index(fields=["commenter", "status"], name="comment_commenter_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "spam", "removed"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(depth=0, parent__isnull=True)
                | models.Q(depth__gt=0, parent__isnull=False),
                name="comment_depth_matches_parent",
            ),
        ]

    def __str__(self):
        return f"{self.author_name} on {self.article}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def takes_replies(self) -> bool:
        """A reply to this comment would still be within COMMENTS_MAX_DEPTH levels."""
        return self.depth + 1 < settings.COMMENTS_MAX_DEPTH

    @property
    def comment_type(self) -> str:
        """Akismet's comment_type."""
        return "reply" if self.is_reply else "comment"

    def place_in_thread(self) -> None:
        """Fill thread, depth and path from the parent. Needs self.pk for a top-level comment."""
        if self.parent_id is None:
            self.thread_id = self.pk
            self.depth = 0
            self.path = path_segment(self.pk)
        else:
            parent = self.parent
            self.thread_id = parent.thread_id
            self.depth = parent.depth + 1
            self.path = f"{parent.path}/{path_segment(self.pk)}"


Comment._meta.get_field("ip_address").register_lookup(InNetwork)
