"""The password-reset email, sent in the background, so that the form answers in the same time
whether or not an account has the address: rendering and the SMTP exchange are the worker's
(TASKS_BACKEND=database). Under TASKS_BACKEND=immediate (a laptop, the tests) it runs inline,
right after the request's work. A mail server that refuses it fails the task, logged."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from fitness.accounts import mail

logger = logging.getLogger(__name__)


@task()
def send_password_reset(user_id: int) -> bool:
    """Email the account its link to choose a new password (False: no such active account)."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    context = {
        "user": user,
        "email": user.email,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("accounts/email/password_reset_subject.txt", context)
    body = render_to_string("accounts/email/password_reset.txt", context)
    with mail.connection() as opened:
        mail.send(subject, body, user.email, using=opened)
    return True


def schedule_password_reset(user) -> None:
    """Queue the email; never raises (a queue that refuses it is logged: the page's answer is
    the same for every address, so it says nothing of it)."""
    try:
        send_password_reset.enqueue(user.pk)
    except Exception:
        logger.exception("could not queue a password reset email for user %s", user.pk)
