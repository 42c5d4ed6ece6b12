"""An invitation to choose a password: who was invited, by whom, when, and when they accepted.

One row per email sent, so the admin shows the latest ("invited on 6 Dec 2026 by alice, not yet
accepted") and the history stays. The link itself is a token (fitness/accounts/tokens.py), not
a stored secret: nothing here would let anyone log in.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at=None)


class Invitation(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        get_latest_by = "sent_at"

    def __str__(self):
        return f"{self.user} invited on {self.sent_at:%Y-%m-%d}"

    @property
    def expires_at(self):
        return self.sent_at + timedelta(days=settings.ACCOUNTS_INVITATION_DAYS)

    @property
    def expired(self):
        return self.accepted_at is None and timezone.now() > self.expires_at
