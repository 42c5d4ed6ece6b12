"""Password reset by email, from the admin's login page: the same answer for every address,
limits per address and per network, a clear 503 when the mail server is down, links that work
once and expire."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
NEW_PASSWORD = "a brand new long passphrase 42"


def ask(client, email, ip="203.0.113.5"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def link_in(message):
    return re.search(r"http://\S+/accounts/reset/\S+/", message.body).group(0)


def test_the_admin_login_page_offers_a_reset(client):
    page = client.get("/admin/login/")
    assert b"Forgotten your login credentials?" in page.content  # Django 5.2's words
    assert b'href="/admin/password_reset/"' in page.content
    form = client.get(RESET)
    assert form.status_code == 200
    assert b"Forgotten your password?" in form.content
    assert b'class="site-header' in form.content  # the site's look, not the admin's
    assert b'name="robots" content="noindex"' in form.content


def test_no_account_enumeration(client):
    UserFactory(username="alice", email="alice@example.com", is_staff=True)
    known = ask(client, "alice@example.com")
    unknown = ask(client, "nobody@example.com", ip="203.0.113.6")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/reset/sent/"
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    done = client.get("/accounts/reset/sent/")
    assert b"If an account has that address" in done.content


def test_the_email_links_to_the_site_url_not_the_requests_host(client, settings):
    settings.SITE_URL = "https://fitness.example.com"
    settings.ALLOWED_HOSTS = ["*"]
    UserFactory(username="alice", email="alice@example.com")
    client.post(RESET, {"email": "alice@example.com"}, HTTP_HOST="evil.example.net")
    (message,) = mail.outbox
    assert "https://fitness.example.com/accounts/reset/" in message.body
    assert "evil.example.net" not in message.body
    assert "alice" in message.body  # the username, which people forget too


def test_reset_then_log_in_with_the_new_password(client):
    user = UserFactory(username="alice", email="alice@example.com", is_staff=True)
    ask(client, "alice@example.com")
    page = client.get(link_in(mail.outbox[0]), follow=True)
    assert b"Choose a new password" in page.content
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.login(username="alice", password=NEW_PASSWORD)


def test_a_used_link_no_longer_works(client):
    UserFactory(username="alice", email="alice@example.com")
    ask(client, "alice@example.com")
    link = link_in(mail.outbox[0])
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    again = client.get(link, follow=True)
    assert b"This link no longer works" in again.content
    assert b"Ask for a new link" in again.content


def test_an_expired_link_no_longer_works(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    UserFactory(username="alice", email="alice@example.com")
    ask(client, "alice@example.com")
    later = datetime.now() + timedelta(hours=2)
    with mock.patch(
        "django.contrib.auth.tokens.PasswordResetTokenGenerator._now", return_value=later
    ):
        page = client.get(link_in(mail.outbox[0]), follow=True)
    assert b"This link no longer works" in page.content


def test_limited_per_address_whether_or_not_it_has_an_account(client, settings):
    settings.ACCOUNTS_RESET_PER_ADDRESS = 2
    UserFactory(username="alice", email="alice@example.com")
    for email in ("alice@example.com", "nobody@example.com"):
        answers = [ask(client, email, ip=f"198.51.100.{n}").status_code for n in range(3)]
        assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2
    refused = ask(client, "ALICE@example.com", ip="198.51.100.99")
    assert refused.status_code == 429
    assert b"Too many password resets were asked for this address" in refused.content


def test_limited_per_network(client, settings):
    settings.ACCOUNTS_RESET_PER_NETWORK = 3
    answers = [ask(client, f"n{n}@example.com", ip=f"2001:db8::{n}").status_code for n in range(4)]
    assert answers == [302, 302, 302, 429]  # one IPv6 /64
    elsewhere = ask(client, "other@example.com", ip="2001:db8:0:1::1")
    assert elsewhere.status_code == 302


def test_the_limit_holds_while_the_cache_is_down(client, settings):
    settings.ACCOUNTS_RESET_PER_ADDRESS = 1
    with mock.patch("fitness.accounts.limits.cache.add", side_effect=ConnectionError("down")):
        answers = [ask(client, "alice@example.com").status_code for _ in range(2)]
    assert answers == [302, 429]


def test_mail_server_down_is_said_for_every_address(client, mail_server_down):
    UserFactory(username="alice", email="alice@example.com")
    for email in ("alice@example.com", "nobody@example.com"):
        answer = ask(client, email)
        assert answer.status_code == 503
        assert b"our mail server does not answer" in answer.content
        assert f'value="{email}"'.encode() in answer.content  # the form keeps it


def test_the_form_and_the_links_pages_are_never_stored_by_a_shared_cache(client):
    UserFactory(username="alice", email="alice@example.com")
    assert "public" not in client.get(RESET)["Cache-Control"]
    ask(client, "alice@example.com")
    page = client.get(link_in(mail.outbox[0]), follow=True)
    assert "no-store" in page["Cache-Control"]
    assert "public" not in page["Cache-Control"]


def test_an_invited_author_without_a_password_may_ask_for_a_link(client, admin_user):
    from fitness.accounts.invitations import send_invitation

    imported = UserFactory(username="rui", email="rui@example.com", password=None)
    imported.set_unusable_password()
    imported.save()
    ask(client, "rui@example.com")
    assert mail.outbox == []  # not invited yet: an unusable password is nobody's to reset
    send_invitation(imported, by=admin_user)
    ask(client, "rui@example.com", ip="203.0.113.9")
    assert [m.subject for m in mail.outbox][-1].startswith("Choose a new password")


def test_the_email_is_the_workers_so_every_answer_takes_the_same_work(client, settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    alice = UserFactory(username="alice", email="alice@example.com")
    known = ask(client, "alice@example.com")
    unknown = ask(client, "nobody@example.com", ip="203.0.113.6")
    assert known.status_code == unknown.status_code == 302
    assert mail.outbox == []  # nothing rendered nor sent in either request
    (queued,) = task_backends["default"].results
    assert queued.task.name == "send_password_reset" and queued.args == [alice.pk]


def test_a_mail_server_gone_after_the_check_fails_the_task_not_the_page(mail_server_down):
    from fitness.accounts import mail as account_mail
    from fitness.accounts.tasks import send_password_reset

    user = UserFactory(username="alice", email="alice@example.com")
    with pytest.raises(account_mail.MailUnavailable):
        send_password_reset.call(user.pk)
