"""The page cache after a failed invalidation: stale for seconds, not a day (issue 15)."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments import moderation
from fitness import page_cache
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db(transaction=True)


class WritesFail:
    """The real cache, except that storing a generation fails (Redis paused mid-approval)."""

    def __init__(self, real):
        self.real = real

    def set_many(self, *args, **kwargs):
        raise ConnectionError("Timeout reading from 127.0.0.1:6379")

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def cached_page(page_cache_on, settings, article):
    """An article page stored in the cache, with a comment held for a moderator."""
    settings.PAGE_CACHE_VERIFY_SECONDS = 1
    held = CommentFactory(article=article, body="Approved while Redis was paused.")
    url = article.get_absolute_url()
    assert "Approved while" not in Client().get(url).content.decode()
    yield url, held
    page_cache._unannounced.clear()


def approve_while_redis_fails(held, monkeypatch, caplog):
    monkeypatch.setattr(page_cache, "cache", WritesFail(cache))
    moderation.approve(held)
    monkeypatch.setattr(page_cache, "cache", cache)  # Redis answers again
    assert "page cache invalidation failed" in caplog.text


def test_the_process_whose_invalidation_failed_serves_the_change_at_once_and_retries(
    cached_page, monkeypatch, caplog
):
    url, held = cached_page
    generation = cache.get(page_cache._generation_key(held.article_id))
    approve_while_redis_fails(held, monkeypatch, caplog)

    assert "Approved while Redis was paused." in Client().get(url).content.decode()

    time.sleep(1.1)  # the retry is due
    Client().get(url)
    assert cache.get(page_cache._generation_key(held.article_id)) != generation
    assert "invalidation retried" in caplog.text
    assert "Approved while Redis was paused." in Client().get(url).content.decode()


def test_a_lost_invalidation_is_noticed_by_every_process_within_the_bound(
    cached_page, monkeypatch, caplog
):
    url, held = cached_page
    approve_while_redis_fails(held, monkeypatch, caplog)
    page_cache._unannounced.clear()  # as another process, or one that died before its retry

    time.sleep(1.1)  # PAGE_CACHE_VERIFY_SECONDS

    assert "Approved while Redis was paused." in Client().get(url).content.decode()
    assert "Approved while Redis was paused." in Client().get(url).content.decode()


def test_checking_a_page_against_the_database_costs_one_query_per_article_and_interval(
    cached_page,
):
    url, _ = cached_page
    time.sleep(1.1)

    with CaptureQueriesContext(connection) as first:
        assert Client().get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert Client().get(url).status_code == 200

    assert len(first) == 1 and "comments_version" in first[0]["sql"]
    assert len(second) == 0
