"""The privacy page says what the accounts keep, with the settings' figures."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_privacy_page_says_what_a_reset_and_an_invitation_keep(client, settings):
    settings.ACCOUNTS_RESET_WINDOW_MINUTES = 90
    page = client.get("/privacy/").content.decode()
    assert "a one-way hash of the email address typed" in page
    assert "for 90 minutes, in its cache only" in page
    assert "who was invited, by whom, when, and when they accepted" in page
