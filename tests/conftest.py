"""Fixtures shared by the whole suite. Nouns, not verbs: `article`, `moderator`, ..."""

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, UserFactory


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
