"""The invitation link's token: Django's password-reset token under its own salt and lifetime.

It hashes the account's password, last login and email, so it works once (choosing a password
changes the hash) and never for another purpose: a reset link is not an invitation, nor the
reverse. It lasts ACCOUNTS_INVITATION_DAYS, where a reset link lasts PASSWORD_RESET_TIMEOUT.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "fitness.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        lifetime = settings.ACCOUNTS_INVITATION_DAYS * 86400
        return self._num_seconds(self._now()) - timestamp <= lifetime


invitation_tokens = InvitationTokenGenerator()
