"""`tolerant_cache.remembered` within a request: asked of the cache once, changes still seen."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from fitness.core import tolerant_cache

pytestmark = pytest.mark.django_db  # request_started closes old database connections


def counted_gets(monkeypatch):
    asked = []
    get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *args, **kw: asked.append(key) or get(key, *args, **kw)
    )
    return asked


def test_within_a_request_a_remembered_key_is_asked_of_the_cache_once(monkeypatch):
    asked = counted_gets(monkeypatch)
    request_started.send(sender=None)
    try:
        values = [tolerant_cache.remembered("t:menu", lambda: ["a"], 60) for _ in range(5)]
    finally:
        request_finished.send(sender=None)
    assert values == [["a"]] * 5 and asked.count("t:menu") == 1


def test_a_value_changed_in_the_request_is_read_again():
    request_started.send(sender=None)
    try:
        assert tolerant_cache.remembered("t:name", lambda: "old", 60) == "old"
        tolerant_cache.delete("t:name")  # what saving the admin's form does
        assert tolerant_cache.remembered("t:name", lambda: "new", 60) == "new"
    finally:
        request_finished.send(sender=None)


def test_outside_a_request_nothing_is_kept(monkeypatch):
    asked = counted_gets(monkeypatch)
    tolerant_cache.remembered("t:words", lambda: 1, 60)
    tolerant_cache.remembered("t:words", lambda: 1, 60)
    assert asked.count("t:words") == 2


def test_a_value_kept_locally_is_asked_of_the_cache_once_for_its_seconds(monkeypatch):
    """The site's settings and menus, on every page: no round trip to Redis within a second."""
    asked = counted_gets(monkeypatch)
    now = [1000.0]
    monkeypatch.setattr(tolerant_cache.time, "monotonic", lambda: now[0])
    for _ in range(3):  # three requests in that second
        assert tolerant_cache.remembered("t:menus", lambda: "kept", 60, local_seconds=1) == "kept"
    assert asked.count("t:menus") == 1

    cache.set("t:menus", "another process's change")  # not through this process
    assert tolerant_cache.remembered("t:menus", lambda: "-", 60, local_seconds=1) == "kept"
    now[0] += 1.5
    assert (
        tolerant_cache.remembered("t:menus", lambda: "-", 60, local_seconds=1)
        == "another process's change"
    )


def test_this_process_s_own_change_drops_the_local_value_at_once():
    assert tolerant_cache.remembered("t:site", lambda: "old", 60, local_seconds=60) == "old"
    tolerant_cache.delete("t:site")  # what saving the admin's form does
    assert tolerant_cache.remembered("t:site", lambda: "new", 60, local_seconds=60) == "new"
