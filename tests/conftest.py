"""Fixtures shared by the whole suite. Nouns, not verbs: `article`, `moderator`, ..."""

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, UserFactory
from tools.akismet_emulator import AkismetEmulator

# What the `akismet_emulator` fixture configures: the key the client sends, the site it names.
TEST_KEY = "fitness-test-key"
SITE_URL = "http://fitness.example"


@pytest.fixture
def article(db):
    return ArticleFactory(title="Why Do Muscles Twitch After a Workout?")


@pytest.fixture
def draft_article(db):
    return ArticleFactory(status="draft")


@pytest.fixture
def scheduled_article(db):
    return ArticleFactory(publish_at=timezone.now() + timezone.timedelta(days=3))


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", is_staff=True)


# --- Screening (spam issue) -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _screening_isolation(settings):
    """No test reaches Akismet unless it asks for the emulator (`akismet_emulator`), and no
    flood counter or cached state leaks from one test into the next."""
    from django.core.cache import cache

    settings.AKISMET_API_KEY = ""
    cache.clear()
    yield
    cache.clear()


# --- Akismet: the project's own emulator on 127.0.0.1, driven by the real akismet client over
# real HTTP (tools/akismet_emulator.py). Nothing here reaches the real Akismet.


@pytest.fixture(scope="session")
def _running_emulator():
    emulator = AkismetEmulator().start()
    yield emulator
    emulator.stop()


@pytest.fixture
def akismet_settings(settings):
    """Akismet configured (the URL is set by `akismet_emulator`, or by the test)."""
    settings.SITE_URL = SITE_URL
    settings.AKISMET_API_KEY = TEST_KEY
    settings.AKISMET_SITE_URL = SITE_URL
    settings.AKISMET_TIMEOUT = 0.5
    settings.AKISMET_IS_TEST = True
    return settings


@pytest.fixture
def akismet_emulator(_running_emulator, akismet_settings):
    """A started emulator, reset for this test, with the settings pointed at it."""
    _running_emulator.reset()
    akismet_settings.AKISMET_API_URL = _running_emulator.url
    yield _running_emulator
    _running_emulator.reset()


@pytest.fixture
def comment_form_data():
    """Valid POST data for an article's comment form, shown 10 s ago (older than
    COMMENTS_MIN_SUBMIT_SECONDS): comment_form_data(article, name=..., comment=...)."""
    import time

    from comments.web.forms import HONEYPOT_FIELD, sign_timestamp

    def make(article, **overrides):
        data = {
            "comment": "Thanks, the part about recovery helped me.",
            "name": "Ada Reader",
            "email": "ada@example.com",
            "website": "",
            "parent": "",
            "timestamp": sign_timestamp(article.pk, time.time() - 10),
            HONEYPOT_FIELD: "",
        }
        data.update(overrides)
        return data

    return make


def _group_as_migrated(name, app_label, *codename_lists):
    """The group `name` a migration creates, with the permissions it gives (`codename_lists`,
    read from the migrations); made again if a transactional test's flush (browser tests)
    emptied the tables since."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=name)
    if created:
        codenames = [codename for codenames in codename_lists for codename in codenames]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return group


@pytest.fixture
def moderators_group(db):
    """The "Moderators" group (comments/migrations/0002_groups.py)."""
    from importlib import import_module

    groups = import_module("comments.migrations.0002_groups").GROUPS
    return _group_as_migrated("Moderators", "comments", groups["Moderators"])


@pytest.fixture
def moderator(moderators_group):
    """A staff member of the "Moderators" group."""
    user = UserFactory(username="moderator", is_staff=True)
    user.groups.add(moderators_group)
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def authors_group(db):
    """The "Authors" group: its article permissions (fitness/articles/migrations/
    0005_authors_group.py) and its media library ones (0002_media.py)."""
    from importlib import import_module

    migrations = "fitness.articles.migrations."
    return _group_as_migrated(
        "Authors",
        "fitness",
        import_module(migrations + "0005_authors_group").PERMISSIONS,
        import_module(migrations + "0002_media").AUTHOR_IMAGE_PERMISSIONS,
    )


@pytest.fixture
def author(authors_group):
    """A staff member of the "Authors" group: writes their own articles, nothing else."""
    user = UserFactory(username="ann", first_name="Ann", last_name="Writer", is_staff=True)
    user.groups.add(authors_group)
    return user


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


# --- Moderation notifications -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _quiet_notifications(settings):
    """No test emails moderators or authors (nor enqueues those tasks) unless it asks for
    `notifications_on`, so that other tests can count the tasks they enqueue."""
    settings.COMMENTS_NOTIFY_MODERATORS = "off"
    settings.COMMENTS_NOTIFY_AUTHOR = False


@pytest.fixture
def notifications_on(settings):
    """The defaults: moderators emailed for each held comment, authors when one is published."""
    settings.COMMENTS_NOTIFY_MODERATORS = "each"
    settings.COMMENTS_NOTIFY_AUTHOR = True
    return settings


@pytest.fixture(autouse=True)
def _pages_rendered_afresh(settings):
    """Tests see pages rendered for the request (queries, templates), unless they ask for
    `page_cache_on`: the embedded page store (fitness.core.http_cache) is tested on its own."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def page_cache_on(settings):
    from django.core.cache import caches

    caches["pages"].clear()
    settings.PAGE_CACHE_SECONDS = 1
