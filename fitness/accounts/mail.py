"""Sending an account's email only when the mail server answers.

`connection()` opens the mail connection before anything is rendered: when it cannot, the
caller says so in one sentence (the reset form, the admin's invitation) instead of a 500 or a
promise of an email that will never come. For a reset, it is opened whether or not an account
has the address, so the answer depends on the mail server alone and never reveals an account.
"""

import logging

from django.core.mail import EmailMultiAlternatives, get_connection

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "Email cannot be sent at the moment: our mail server does not answer. Nothing was sent. "
    "Please try again in a few minutes."
)


class MailUnavailable(Exception):
    pass


def connection():
    """An open connection to the mail server; MailUnavailable when it cannot be opened."""
    opened = get_connection(fail_silently=False)
    try:
        opened.open()
    except Exception as error:
        logger.warning("mail server unavailable: %s: %s", type(error).__name__, error)
        raise MailUnavailable(UNAVAILABLE) from error
    return opened


def send(subject: str, body: str, to: str, *, using) -> None:
    """Send one plain-text email over an open connection; MailUnavailable if it fails."""
    message = EmailMultiAlternatives("".join(subject.splitlines()), body, to=[to], connection=using)
    try:
        message.send()
    except Exception as error:
        logger.warning("email not sent: %s: %s", type(error).__name__, error)
        raise MailUnavailable(UNAVAILABLE) from error
