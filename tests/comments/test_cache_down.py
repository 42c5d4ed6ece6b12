"""
With Redis unreachable, a reader's comment is still stored and answered (issue 15).

The cache points at a port where nothing listens: every cache call raises redis's
ConnectionError at once, as it does during an outage (a paused Redis raises the same after
the one-second socket timeout).
"""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from comments.models import Comment
from comments.screening.flood import FLOOD_MESSAGE_FRAGMENT
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "fitness.core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def cache_down(settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    settings.SESSION_ENGINE = "fitness.core.sessions"  # production's, with Redis
    with override_settings(CACHES=UNREACHABLE_REDIS):
        with pytest.raises(Exception, match=r"Connection refused|Error 111"):
            cache.get("anything")  # it really is down
        yield


def post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, **extra)


def test_a_post_is_stored_and_the_reader_sees_it_held(
    cache_down, client, article, comment_form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article, comment_form_data(article))

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thanks, the part about recovery helped me." in html
    assert "Your comment is awaiting moderation." in html
    assert Comment.objects.get().status == "pending"


def test_a_returning_readers_comment_is_published_and_shown(
    cache_down, client, article, comment_form_data, django_capture_on_commit_callbacks
):
    earlier = CommentFactory(article=article, author_email="ada@example.com", status="approved")
    Comment.objects.filter(pk=earlier.pk).update(created_at=earlier.created_at - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):  # page-cache invalidation included
        response = post(client, article, comment_form_data(article, comment="Published anyway."))

    assert response.status_code == 302
    assert "Published anyway." in client.get(response["Location"]).content.decode()
    assert Comment.objects.get(body="Published anyway.").status == "approved"


def test_flood_control_asks_the_database_instead(cache_down, client, article, comment_form_data):
    assert post(client, article, comment_form_data(article)).status_code == 302

    again = comment_form_data(article, comment="A second one at once.", email="bea@example.com")
    response = post(client, article, again)

    assert response.status_code == 400
    html = response.content.decode()
    assert FLOOD_MESSAGE_FRAGMENT in html and "A second one at once." in html
    assert Comment.objects.count() == 1

    elsewhere = comment_form_data(article, comment="Someone else.", email="cy@example.com")
    assert post(client, article, elsewhere, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_akismet_is_asked_and_the_comment_stored(
    cache_down, akismet_emulator, client, article, comment_form_data
):
    response = post(client, article, comment_form_data(article))

    assert response.status_code == 302
    assert Comment.objects.get().akismet_verdict == "ham"


def test_a_rejected_akismet_key_still_holds_the_comment(
    cache_down, akismet_emulator, client, article, comment_form_data, settings
):
    settings.AKISMET_API_KEY = "invalid-key"

    response = post(client, article, comment_form_data(article))

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.status, comment.akismet_verdict) == ("pending", "unchecked")


@pytest.mark.parametrize("logged_in", ["before the outage", "during it"])
def test_a_logged_in_reader_can_post(
    settings, client, article, reader, comment_form_data, request, logged_in
):
    """Their session is read from the database when the cache cannot answer."""
    reader.email = "reader@example.com"
    reader.save()
    settings.SESSION_ENGINE = "fitness.core.sessions"
    if logged_in == "before the outage":
        client.force_login(reader)
        request.getfixturevalue("cache_down")
    else:
        request.getfixturevalue("cache_down")
        client.force_login(reader)

    response = post(client, article, comment_form_data(article))

    assert response.status_code == 302
    assert Comment.objects.get().user == reader


def test_a_moderator_can_approve_from_the_admin(
    settings, client, moderator, article, request, django_capture_on_commit_callbacks
):
    settings.SESSION_ENGINE = "fitness.core.sessions"
    held = CommentFactory(article=article, body="Approved during the outage.")
    client.force_login(moderator)
    request.getfixturevalue("cache_down")

    with django_capture_on_commit_callbacks(execute=True):  # page-cache invalidation included
        response = client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "approve", "_selected_action": [held.pk]},
            follow=True,
        )

    assert response.status_code == 200
    held.refresh_from_db()
    assert held.status == "approved"
    assert "Approved during the outage." in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("logged_in", ["before the outage", "during it"])
def test_staff_on_the_site_can_log_out(settings, client, article, staff_user, request, logged_in):
    """Issue 28: logging out deleted the session row, then Django's `delete` asked the cache
    to drop its copy and the error made a 500 (the cookie kept). Now they are logged out."""
    settings.SESSION_ENGINE = "fitness.core.sessions"
    if logged_in == "before the outage":
        client.force_login(staff_user)
        request.getfixturevalue("cache_down")
    else:
        request.getfixturevalue("cache_down")
        client.force_login(staff_user)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    response = client.post(reverse("admin:logout"), {"next": article.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == ""  # the cookie is deleted
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Logged in as" not in page


def test_with_the_cache_up_logging_out_drops_the_cached_copy_too(settings, client, staff_user):
    settings.SESSION_ENGINE = "fitness.core.sessions"
    client.force_login(staff_user)
    cached = "django.contrib.sessions.cached_db" + client.session.session_key
    client.get("/")  # the session read once: its copy is in the cache
    assert cache.get(cached) is not None

    client.post(reverse("admin:logout"))

    assert cache.get(cached) is None
