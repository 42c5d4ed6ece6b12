"""Invitations from the admin: the action, the button on a user's page, the tick box on "Add
user"; the link that sets a first password once and expires; what the admin says about it."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from fitness.accounts.models import Invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USERS = "/admin/auth/user/"
PASSWORD = "a first long passphrase 42"


@pytest.fixture
def imported(authors_group):
    """An author as the WordPress import makes one: no password, not staff."""
    user = UserFactory(username="rui", email="rui@example.com", first_name="", last_name="")
    user.set_unusable_password()
    user.save()
    return user


def link_in(message):
    return re.search(r"http://\S+/accounts/invitation/\S+/", message.body).group(0)


def invite_by_action(admin_client, *users):
    return admin_client.post(
        USERS,
        {"action": "send_invitations", "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def accept(client, link, password=PASSWORD):
    page = client.get(link, follow=True)
    return page, client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_the_action_invites_and_the_admin_says_so(admin_client, admin_user, imported):
    page = invite_by_action(admin_client, imported)
    assert "Invitation sent to rui (rui@example.com)." in page.content.decode()
    (message,) = mail.outbox
    assert message.to == ["rui@example.com"]
    assert "Your username: rui" in message.body
    assert "14 days" in message.body
    invitation = Invitation.objects.get(user=imported)
    assert invitation.invited_by == admin_user and invitation.accepted_at is None
    imported.refresh_from_db()
    assert imported.is_staff and imported.groups.filter(name="Authors").exists()
    listing = admin_client.get(USERS).content.decode()
    assert re.search(r"Invited on .* by admin, not yet accepted", listing)
    history = admin_client.get(f"{USERS}{imported.pk}/history/").content.decode()
    assert "Sent an invitation to choose a password." in history


def test_the_invited_author_chooses_a_password_and_logs_in(client, admin_client, imported):
    invite_by_action(admin_client, imported)
    page, done = accept(client, link_in(mail.outbox[0]))
    assert b"Your username is <strong>rui</strong>" in page.content
    assert done["Location"] == "/accounts/invitation/done/"
    assert client.login(username="rui", password=PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert Invitation.objects.get(user=imported).accepted_at is not None
    change = admin_client.get(f"{USERS}{imported.pk}/change/").content.decode()
    assert re.search(r"Invited on .* by admin, accepted on", change)


def test_an_invitation_works_once(client, admin_client, imported):
    invite_by_action(admin_client, imported)
    link = link_in(mail.outbox[0])
    accept(client, link)
    again = client.get(link, follow=True)
    assert b"This invitation no longer works" in again.content


def test_an_invitation_expires_after_its_days(client, admin_client, imported, settings):
    settings.ACCOUNTS_INVITATION_DAYS = 2
    invite_by_action(admin_client, imported)
    link = link_in(mail.outbox[0])
    now = datetime.now()
    with mock.patch(
        "django.contrib.auth.tokens.PasswordResetTokenGenerator._now",
        return_value=now + timedelta(days=1, hours=23),
    ):
        assert b"Welcome to" in client.get(link, follow=True).content
    with mock.patch(
        "django.contrib.auth.tokens.PasswordResetTokenGenerator._now",
        return_value=now + timedelta(days=2, hours=1),
    ):
        assert b"This invitation no longer works" in client.get(link, follow=True).content


def test_a_reset_link_is_no_invitation_and_the_reverse(client, admin_client, imported):
    invite_by_action(admin_client, imported)
    link = link_in(mail.outbox[0])
    as_reset = link.replace("/accounts/invitation/", "/accounts/reset/")
    assert b"This link no longer works" in client.get(as_reset, follow=True).content


def test_the_button_on_the_users_page(admin_client, imported):
    page = admin_client.get(f"{USERS}{imported.pk}/change/").content.decode()
    assert f'action="{USERS}{imported.pk}/invite/"' in page
    answer = admin_client.post(f"{USERS}{imported.pk}/invite/", follow=True)
    assert "Invitation sent to rui" in answer.content.decode()
    assert len(mail.outbox) == 1
    assert admin_client.get(f"{USERS}{imported.pk}/invite/").status_code == 405


def test_who_cannot_be_invited_is_told_why(admin_client, admin_user, authors_group):
    no_email = UserFactory(username="noemail", email="")
    logged_in = UserFactory(username="old", email="old@example.com")
    get_user_model().objects.filter(pk=logged_in.pk).update(last_login="2026-01-01T00:00Z")
    page = invite_by_action(admin_client, no_email, logged_in).content.decode()
    assert "Not invited: noemail: no email address." in page
    assert "Not invited: old: has logged in already" in page
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_mail_server_down_sends_and_records_nothing(admin_client, imported, mail_server_down):
    page = invite_by_action(admin_client, imported).content.decode()
    assert "our mail server does not answer" in page
    assert not Invitation.objects.exists()
    imported.refresh_from_db()
    assert not imported.is_staff


def test_adding_a_user_without_a_password_offers_the_invitation(admin_client, authors_group):
    form = admin_client.get(f"{USERS}add/").content.decode()
    assert 'name="send_invitation"' in form
    answer = admin_client.post(
        f"{USERS}add/",
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "usable_password": "false",
            "send_invitation": "on",
        },
        follow=True,
    )
    assert "Invitation sent to newbie" in answer.content.decode()
    newbie = get_user_model().objects.get(username="newbie")
    assert not newbie.has_usable_password()
    assert mail.outbox[0].to == ["newbie@example.com"]


def test_an_invitation_needs_an_address_and_no_password_chosen(admin_client):
    answer = admin_client.post(
        f"{USERS}add/",
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "x long enough password 1",
            "password2": "x long enough password 1",
            "send_invitation": "on",
        },
    )
    text = answer.content.decode()
    assert "An invitation needs an email address." in text
    assert "set password-based authentication to Disabled" in text
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_the_user_list_does_not_query_per_user(
    admin_client, admin_user, django_assert_max_num_queries
):
    for n in range(3):
        user = UserFactory(username=f"u{n}")
        Invitation.objects.create(user=user, invited_by=admin_user)
    admin_client.get(USERS)
    with django_assert_max_num_queries(12) as few:
        admin_client.get(USERS)
    for n in range(3, 13):
        user = UserFactory(username=f"u{n}")
        Invitation.objects.create(user=user, invited_by=admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(USERS)


def test_an_invitation_to_nobody_is_a_404(admin_client):
    for id in ("%20", "999999", "x"):
        assert admin_client.post(f"{USERS}{id}/invite/").status_code == 404
