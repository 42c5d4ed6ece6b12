"""The addresses that asked for reply emails, and whether their owner said yes
(`comments.notifications.optin`)."""

from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone


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
