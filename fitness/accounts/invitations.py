"""Inviting someone to choose their password: new accounts made in the admin without one, and
authors the WordPress import created (with unusable passwords).

`send_invitation` emails a link (an invitation token, fitness/accounts/tokens.py) to the
"choose your password" page and records who invited whom, when; `accept` marks it accepted once
they chose one. The invitation is to log in to the admin: an account without staff status
becomes an author (staff status and the Authors group) when it is invited.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fitness.accounts import mail
from fitness.accounts.models import Invitation
from fitness.accounts.tokens import invitation_tokens
from fitness.articles.models import AUTHORS_GROUP


def refusal(user) -> str:
    """Why `user` cannot be invited ("" when they can)."""
    if not user.email:
        return "no email address"
    if not user.is_active:
        return "the account is inactive"
    if user.last_login is not None:
        return "has logged in already (“Forgotten your password?” on the login page is theirs)"
    return ""


def invitation_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:invitation", kwargs={"uidb64": uid, "token": invitation_tokens.make_token(user)}
    )
    return f"{settings.SITE_URL}{path}"


def send_invitation(user, *, by, connection=None) -> Invitation:
    """Email `user` an invitation and record it. ValueError (with `refusal`'s reason) when they
    cannot be invited; mail.MailUnavailable when the mail server does not take it (nothing
    recorded, nothing changed)."""
    reason = refusal(user)
    if reason:
        raise ValueError(reason)
    context = {
        "user": user,
        "invited_by": by,
        "inviter_name": (by.get_full_name() or by.get_username()) if by else "",
        "link": invitation_link(user),
        "days": settings.ACCOUNTS_INVITATION_DAYS,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context)
    body = render_to_string("accounts/email/invitation.txt", context)
    opened = connection or mail.connection()
    try:
        mail.send(subject, body, user.email, using=opened)
    finally:
        if connection is None:
            opened.close()
    with transaction.atomic():
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            authors, _created = Group.objects.get_or_create(name=AUTHORS_GROUP)
            user.groups.add(authors)
        return Invitation.objects.create(user=user, invited_by=by)


def accept(user) -> None:
    """`user` chose their password through an invitation: every open one is accepted."""
    Invitation.objects.filter(user=user).open().update(accepted_at=timezone.now())


def status(user) -> str:
    """The invitation as the admin says it: "Invited on 6 Dec 2026 by alice, not yet accepted",
    "... accepted on 7 Dec 2026", "... expired, not accepted", or "" (never invited). Reads the
    prefetched `invitations` when the list prefetched them."""
    latest = next(iter(user.invitations.all()), None)
    if latest is None:
        return ""
    when = timezone.localtime(latest.sent_at).strftime("%-d %b %Y %H:%M")
    by = f" by {latest.invited_by.get_username()}" if latest.invited_by else ""
    if latest.accepted_at:
        accepted = timezone.localtime(latest.accepted_at).strftime("%-d %b %Y")
        return f"Invited on {when}{by}, accepted on {accepted}"
    if latest.expired:
        return f"Invited on {when}{by}, expired, not accepted"
    return f"Invited on {when}{by}, not yet accepted"
