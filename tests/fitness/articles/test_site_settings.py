"""Site settings in the admin (issue 31): the name, tagline and description and the discussion
defaults, stored in one row, cached, effective on the next page without a restart, the
environment giving the defaults."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from fitness.articles import site_settings
from fitness.articles.models import SiteSettings
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/admin/fitness/sitesettings/"


@pytest.fixture
def owner_client(client):
    client.force_login(UserFactory(username="owner", is_staff=True, is_superuser=True))
    return client


def meta_description(html):
    return re.search(r'<meta name="description" content="([^"]*)"', html).group(1)


def form_data(**changes):
    data = {
        "name": "",
        "tagline": "",
        "description": "",
        "hold_first_comments": "unknown",
        "close_comments_after_days": "",
        "moderator_notices": "",
        "reply_emails": "unknown",
    }
    return {**data, **changes}


def test_the_environment_gives_the_defaults(client, settings):
    settings.SITE_NAME = "Strong Legs"
    settings.SITE_TAGLINE = "Training for runners"
    settings.SITE_DESCRIPTION = ""

    html = client.get("/").content.decode()

    assert "<title>Strong Legs: Training for runners</title>" in html
    assert 'class="site-tagline small text-body-secondary">Training for runners<' in html
    assert meta_description(html) == "Training for runners"  # no description: the tagline
    assert "Articles on fitness, training and recovery" not in html


def test_a_change_in_the_admin_shows_on_the_next_page_and_feed(owner_client, client):
    ArticleFactory(title="Calf raises")
    client.get("/")  # the settings are cached now
    page = owner_client.get(SETTINGS_URL).content.decode()
    assert "Empty: Fitness, from SITE_NAME." in page and "Default (yes)" in page

    response = owner_client.post(
        SETTINGS_URL,
        form_data(
            name="Calf Club",
            tagline="Stronger calves, fewer cramps",
            description="Articles for runners whose calves cramp.",
        ),
    )

    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "<title>Calf Club: Stronger calves, fewer cramps</title>" in html
    assert meta_description(html) == "Articles for runners whose calves cramp."
    feed = client.get("/feed/").content.decode()
    assert "<title>Calf Club: latest articles</title>" in feed
    assert "<description>Articles for runners whose calves cramp.</description>" in feed
    assert "Calf Club moderation" in owner_client.get("/admin/").content.decode()

    # Emptied again: the environment's values are back.
    owner_client.post(SETTINGS_URL, form_data())
    html = client.get("/").content.decode()
    assert "<title>Fitness: articles</title>" in html
    assert meta_description(html) == "The latest articles from Fitness."


def test_pages_read_the_settings_from_the_cache_not_the_database(client):
    SiteSettings.objects.create(tagline="Cached once")
    ArticleFactory(title="Calf raises")
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()

    assert "Cached once" in html
    assert not [q for q in queries.captured_queries if "sitesettings" in q["sql"]]


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "fitness.core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_with_redis_down_the_settings_come_from_the_database(client):
    SiteSettings.objects.create(tagline="Still here without Redis")
    with override_settings(CACHES=UNREACHABLE_REDIS):
        with pytest.raises(Exception, match=r"Connection refused|Error 111"):
            cache.get("anything")
        html = client.get("/").content.decode()
    assert "Still here without Redis" in html


def test_an_article_pages_etag_follows_the_settings(client):
    article = ArticleFactory(title="Calf raises")
    first = client.get(article.get_absolute_url())["ETag"]
    settings_row = SiteSettings.get_solo()
    settings_row.tagline = "A new tagline"
    settings_row.save()

    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first)

    assert response.status_code == 200 and "A new tagline" in response.content.decode()


def test_the_discussion_defaults_reach_the_comments_app(owner_client, client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    article = ArticleFactory(title="Old news", publish_at="2010-03-15T09:00:00Z")
    assert 'name="notify_replies"' in client.get(article.get_absolute_url()).content.decode()

    owner_client.post(
        SETTINGS_URL,
        form_data(close_comments_after_days="30", reply_emails="false", moderator_notices="off"),
    )

    assert site_settings.get("COMMENTS_CLOSE_AFTER_DAYS") == 30
    assert site_settings.get("COMMENTS_NOTIFY_MODERATORS") == "off"
    article.refresh_from_db()
    assert not article.accepts_comments()
    other = ArticleFactory(title="New today")
    html = client.get(other.get_absolute_url()).content.decode()
    assert 'name="comment"' in html and 'name="notify_replies"' not in html
