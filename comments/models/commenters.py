"""
The person behind comments: a `Commenter` (recognised by a normalised email, or, without one,
by an IP network), the networks they wrote from, moderators' notes about them, and `Ban`s.

A comment points at its commenter (`Comment.commenter`, kept by the posting sequence:
`comments.services.commenters`). Counts per status are not stored: they are counted from the
comments (an index on commenter and status), one query for a whole page of rows.

A ban names what it bars by a salted hash of the normalised email or the network
(`comments.readers.commenters.ban_hash`), so that it outlives the erasure of the person's data:
erasing deletes the commenter, their notes and networks and clears each ban's readable label,
and the hash still matches the next comment from the same address.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from comments.conf import settings


class Commenter(models.Model):
    """One person, as far as the site can tell: one normalised email, or one network."""

    class Trust(models.TextChoices):
        AUTO = "auto", "Earned by approved comments"
        TRUSTED = "trusted", "Trusted (set by a moderator)"
        HOLD = "hold", "Always hold (set by a moderator)"

    # "email:<normalised email>" or "network:<network>": what recognises them.
    key = models.CharField(max_length=300, unique=True)
    email = models.CharField(max_length=254, blank=True)  # normalised; "" for a network
    # The email without +tags, and without dots for addresses where dots do not count: the
    # same mailbox under another spelling (a linked commenter).
    email_family = models.CharField(max_length=254, blank=True, db_index=True)
    name = models.CharField(max_length=100, blank=True)  # the last name used
    name_key = models.CharField(max_length=100, blank=True, db_index=True)  # its normal form
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    trust = models.CharField(max_length=8, choices=Trust.choices, default=Trust.AUTO)
    trust_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    trust_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return self.email or self.network_label or self.key

    @property
    def network_label(self) -> str:
        return self.key.removeprefix("network:") if self.key.startswith("network:") else ""


class CommenterNetwork(models.Model):
    """A network (an IPv4 address, an IPv6 /64) a commenter wrote from, first and last time.
    Personal data: dropped COMMENTS_PERSONAL_DATA_DAYS after it was last seen."""

    commenter = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="networks")
    network = models.CharField(max_length=50, db_index=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(
                fields=["commenter", "network"], name="commenter_network_unique"
            ),
        ]

    def __str__(self):
        return self.network


class CommenterNote(models.Model):
    """A moderator's note about a commenter: who wrote it, when. Erased with the commenter."""

    commenter = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:60]


class BanQuerySet(models.QuerySet):
    def active(self, now=None) -> "BanQuerySet":
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Ban(models.Model):
    """Comments from an email or a network are refused (or held: COMMENTS_BANNED_ACTION)
    until `ends_at` (None: for ever) or until a moderator lifts it. Never deleted: lifting
    records who and when, so every ban and lift stays in the history."""

    class Scope(models.TextChoices):
        EMAIL = "email", "Email"
        NETWORK = "network", "Network"

    commenter = models.ForeignKey(
        Commenter, null=True, blank=True, on_delete=models.SET_NULL, related_name="bans"
    )
    scope = models.CharField(max_length=8, choices=Scope.choices)
    value_hash = models.CharField(max_length=64, db_index=True)  # readers.commenters.ban_hash
    label = models.CharField(max_length=254, blank=True)  # the email or network; "" once erased
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ends_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Ban of {self.get_scope_display().lower()} {self.label or '[erased]'}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > now)

    @property
    def until(self) -> str:
        """ "for ever", "until 2026-12-07 22:00" (UTC), "lifted"."""
        if self.lifted_at:
            return "lifted"
        if self.ends_at is None:
            return "for ever"
        return f"until {self.ends_at:%Y-%m-%d %H:%M} UTC"
