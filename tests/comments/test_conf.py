"""The comments app's defaults (comments/conf.py): used where the project sets nothing."""

import pytest

from comments import conf
from comments.conf import settings as comments_settings
from comments.services import privacy
from fitness.articles.models import SiteSettings

# The site's name and the discussion defaults are read from the admin's Site settings first.
pytestmark = pytest.mark.django_db


def test_a_default_applies_when_the_project_does_not_set_the_name(settings):
    del settings.COMMENTS_MAX_LINKS

    assert comments_settings.COMMENTS_MAX_LINKS == conf.DEFAULTS["COMMENTS_MAX_LINKS"] == 2


def test_the_projects_value_wins_over_the_default(settings):
    settings.COMMENTS_MAX_LINKS = 7

    assert comments_settings.COMMENTS_MAX_LINKS == 7


def test_the_code_obeys_the_default_and_the_projects_value(settings):
    del settings.COMMENTS_SPAM_RETENTION_DAYS
    assert privacy.privacy_facts()["spam_retention_days"] == 15

    settings.COMMENTS_SPAM_RETENTION_DAYS = 30
    assert privacy.privacy_facts()["spam_retention_days"] == 30


def test_a_computed_default_follows_the_project(settings):
    del settings.AKISMET_SITE_URL
    settings.SITE_URL = "https://fitness.example.com"

    assert comments_settings.AKISMET_SITE_URL == "https://fitness.example.com"


def test_other_names_are_djangos(settings):
    settings.SITE_NAME = "Elsewhere"

    assert comments_settings.SITE_NAME == "Elsewhere"
    assert comments_settings.USE_TZ is True
    with pytest.raises(AttributeError):
        comments_settings.COMMENTS_NOT_A_SETTING  # noqa: B018


def test_the_admins_site_settings_win_over_the_environment(settings):
    settings.COMMENTS_HOLD_FIRST_TIME = None  # the environment says nothing: the app's default
    settings.COMMENTS_NOTIFY_MODERATORS = "digest"
    assert comments_settings.COMMENTS_HOLD_FIRST_TIME is True
    assert comments_settings.COMMENTS_NOTIFY_MODERATORS == "digest"

    SiteSettings.objects.create(hold_first_comments=False, moderator_notices="off")
    assert comments_settings.COMMENTS_HOLD_FIRST_TIME is False
    assert comments_settings.COMMENTS_NOTIFY_MODERATORS == "off"
    assert privacy.privacy_facts()["moderators_notified"] is False

    # Emptied again in the admin: the environment's value is back.
    SiteSettings.objects.update(hold_first_comments=None, moderator_notices="")
    SiteSettings.get_solo().save()
    assert comments_settings.COMMENTS_HOLD_FIRST_TIME is True
    assert comments_settings.COMMENTS_NOTIFY_MODERATORS == "digest"
