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
    from comments.readers.cookies import AUTHOR_COOKIE, AUTHOR_COOKIE_MAX_AGE

    page = privacy_page(client)
    assert f"<code>{AUTHOR_COOKIE}</code>, for {AUTHOR_COOKIE_MAX_AGE // 86400} days" in page
    assert "with the box unticked and the cookie is deleted" in page


# --- Each promise tied to the code that keeps it (issue 20) --------------------------------------


def test_the_akismet_list_is_the_request_builders_definition(client, settings):
    from django.utils.html import escape

    from comments.screening.akismet import SENT_TO_AKISMET

    settings.AKISMET_API_KEY = "a-real-key"
    page = privacy_page(client)
    listed = page.split('<ul id="akismet-fields">')[1].split("</ul>")[0]
    assert listed == "".join(f"<li>{escape(text)}</li>" for text in SENT_TO_AKISMET.values())
    assert "the time you posted it" in listed
    assert "sent again when Akismet could not be reached" in page
    assert "when a moderator asks Akismet to check it again" in page
    assert "when a moderator corrects Akismet" in page


def test_posted_while_off_is_never_sent_is_said_either_way(client, settings):
    for key in ("", "a-real-key"):
        settings.AKISMET_API_KEY = key
        assert "never sent to it, not even if Akismet is switched on later" in privacy_page(client)


def test_third_party_images_follow_csp_img_src(client, settings):
    settings.CSP_IMG_SRC = []
    page = privacy_page(client)
    assert "no third-party scripts, fonts or images" in page

    settings.CSP_IMG_SRC = ["https://images.example.com"]
    page = privacy_page(client)
    assert "no third-party scripts, fonts or images" not in page
    assert "Images in some articles are loaded from https://images.example.com" in page


def test_the_first_comment_hold_follows_its_setting(client, settings):
    settings.COMMENTS_HOLD_FIRST_TIME = True
    assert "(a first comment is reviewed by a moderator)" in privacy_page(client)
    settings.COMMENTS_HOLD_FIRST_TIME = False
    assert "first comment is reviewed" not in privacy_page(client)


def test_the_email_is_said_to_serve_the_flood_and_duplicate_rules(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 20
    settings.COMMENTS_DUPLICATE_WINDOW_HOURS = 12
    page = privacy_page(client)
    assert "one comment per address every 20 seconds" in page
    assert "the same text from the same address within 12 hours is refused" in page


def test_the_pending_cookie_is_described_as_the_code_sets_it(client):
    from comments.readers.cookies import PENDING_CAP, PENDING_COOKIE, PENDING_COOKIE_MAX_AGE

    page = privacy_page(client)
    days = PENDING_COOKIE_MAX_AGE // 86400
    assert f"<code>{PENDING_COOKIE}</code>, for {days} days) with the numbers of your" in page
    assert f"(the last {PENDING_CAP} at most)" in page


def test_the_page_says_who_sees_the_data_in_the_admin(client):
    assert "<strong>moderators and administrators</strong> see everything" in privacy_page(client)


def test_spam_retention_states_the_placeholder_exception(client):
    page = privacy_page(client)
    assert "spam that someone's published reply answers is not deleted but emptied" in page


def test_erasure_says_mentions_in_other_replies_stay(client):
    assert "if someone mentioned your name in a reply, that mention stays" in privacy_page(client)


def test_reporters_data_is_described_with_the_settings_figures(client, settings):
    settings.COMMENTS_REPORTS_RETENTION_DAYS = 90
    settings.COMMENTS_REPORTS_PER_HOUR = 5
    settings.COMMENTS_REPORTS_HOLD_NETWORKS = 4
    settings.COMMENTS_DECISION_EMAIL_MINUTES = 15
    page = privacy_page(client)
    assert 'id="reports"' in page and "comments_reporter" in page
    assert "Until 90 days after a moderator has decided on it." in page
    assert "at most 5 reports an hour" in page
    assert "reported from 4 different networks is hidden" in page
    assert "tell you our decision (15 minutes after it is taken" in page
    assert "never told who reported it" in page
    settings.COMMENTS_REPORTS_HOLD_NETWORKS = 0
    assert "different networks is hidden" not in privacy_page(client)
