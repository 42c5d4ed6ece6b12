"""A Redis that stops answering costs one socket timeout, not one per cache call (issue 15)."""

import socket
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def paused_redis(settings):
    """A port that takes connections and never answers, as a paused (SIGSTOP) Redis does."""
    settings.CACHE_FAIL_FAST_SECONDS = 2
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)  # connections wait in the backlog: never accepted, never answered
        location = f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
        caches = {
            "default": {
                "BACKEND": "fitness.core.cache.RedisCache",
                "LOCATION": location,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        with override_settings(CACHES=caches):
            yield


def timed(call):
    started = time.perf_counter()
    try:
        call()
    except Exception as error:
        return time.perf_counter() - started, error
    return time.perf_counter() - started, None


def test_after_one_timeout_the_cache_fails_at_once_then_tries_again(paused_redis, settings):
    settings.CACHE_FAIL_FAST_SECONDS = 0.5
    first, error = timed(lambda: cache.get("a"))
    assert error is not None and first >= 0.9  # the socket timeout, once

    second, error = timed(lambda: cache.get("b"))
    assert error is not None and second < 0.1  # failing fast: Redis is not asked
    assert "unreachable a moment ago" in str(error)

    time.sleep(0.6)
    third, error = timed(lambda: cache.set("c", 1))
    assert error is not None and third >= 0.9  # asked again once the window is over


def test_a_post_while_redis_is_paused_is_stored_in_about_one_timeout(
    paused_redis, client, article, comment_form_data, django_capture_on_commit_callbacks
):
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments:post", args=[article.pk]), comment_form_data(article)
        )
    elapsed = time.perf_counter() - started

    assert response.status_code == 302
    assert Comment.objects.count() == 1
    assert elapsed < 2.5, f"{elapsed:.2f} s"  # about 5.4 s when every call waited its timeout
