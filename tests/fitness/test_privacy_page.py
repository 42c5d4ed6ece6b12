"""The privacy page states what the code does: its figures come from the settings."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def privacy_page(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    return response.content.decode()


def test_page_lists_everything_stored_for_a_comment(client):
    page = privacy_page(client)
    for item in ("Name", "Email address", "Website", "Comment text", "IP address",
                 "user agent", "referring page", "The Akismet exchange"):  # fmt: skip
        assert item in page


def test_retention_periods_follow_the_settings(client, settings):
    page = privacy_page(client)
    assert "<strong>60 days</strong> after you post" in page
    assert "deleted entirely 15 days after" in page
    assert "blatant spam after 1 day." in page

    settings.COMMENTS_PERSONAL_DATA_DAYS = 30
    settings.COMMENTS_SPAM_RETENTION_DAYS = 7
    settings.COMMENTS_BLATANT_RETENTION_DAYS = 2
    page = privacy_page(client)
    assert "<strong>30 days</strong> after you post" in page
    assert "60 days" not in page
    assert "deleted entirely 7 days after" in page
    assert "blatant spam after 2 days." in page


def test_akismet_is_named_as_a_recipient_only_when_configured(client, settings):
    settings.AKISMET_API_KEY = ""
    page = privacy_page(client)
    assert "Nothing is sent to <strong>Akismet</strong>" in page
    assert "automattic.com" not in page

    settings.AKISMET_API_KEY = "a-real-key"
    page = privacy_page(client)
    assert "<strong>Akismet</strong>, the anti-spam service run by Automattic, receives" in page


def test_moderator_and_author_emails_are_mentioned_only_when_sent(client, settings):
    settings.COMMENTS_NOTIFY_MODERATORS = "off"
    settings.COMMENTS_NOTIFY_AUTHOR = False
    page = privacy_page(client)
    assert "<strong>moderators</strong> receive an email" not in page
    assert "<strong>author</strong> receives an email" not in page

    settings.COMMENTS_NOTIFY_MODERATORS = "digest"
    settings.COMMENTS_NOTIFY_AUTHOR = True
    page = privacy_page(client)
    assert "<strong>moderators</strong> receive an email" in page
    assert "<strong>author</strong> receives an email" in page


def test_avatars_are_drawn_locally(client):
    assert "we do not send your email address to Gravatar" in privacy_page(client)


def test_contact_address_defaults_to_the_sender_address(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = "Fitness <hello@fitness.example>"
    assert 'href="mailto:hello@fitness.example"' in privacy_page(client)

    settings.PRIVACY_CONTACT_EMAIL = "privacy@fitness.example"
    assert 'href="mailto:privacy@fitness.example"' in privacy_page(client)


def test_remember_me_cookie_is_described_as_the_code_sets_it(client):
    from comments.cookies import AUTHOR_COOKIE, AUTHOR_COOKIE_MAX_AGE

    page = privacy_page(client)
    assert f"<code>{AUTHOR_COOKIE}</code>, for {AUTHOR_COOKIE_MAX_AGE // 86400} days" in page
    assert "with the box unticked and the cookie is deleted" in page
