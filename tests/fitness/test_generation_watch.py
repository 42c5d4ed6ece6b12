"""
Each process remembers articles' page generations and forgets one the moment it changes
(fitness.generation_watch). Two watches here stand for two web processes: each has its own
subscription, as each process has. Needs Redis (REDIS_URL, as in CI); skipped otherwise.
"""

import secrets
import time

import pytest
from django.core.cache import cache

from fitness import generation_watch
from fitness.generation_watch import GenerationWatch

pytestmark = pytest.mark.skipif(
    not hasattr(cache, "subscriber"),
    reason="announcements need the Redis cache: set REDIS_URL (CI does)",
)

ARTICLE = 7_000_001  # no real article: these tests own this id's key


class CountingCache:
    """The real cache, counting the round trips a watch makes for a generation."""

    def __init__(self):
        self.gets = 0

    def get(self, key):
        self.gets += 1
        return cache.get(key)

    def __getattr__(self, name):
        return getattr(cache, name)


@pytest.fixture
def key():
    key = f"test-generation-watch:{secrets.token_hex(4)}"
    cache.set(key, "first")
    yield key
    cache.delete(key)


def listening(watch, key):
    """The watch, once its subscription is confirmed and it remembers the article's generation."""
    for _ in range(200):
        watch.current(ARTICLE, key)
        if watch._live and ARTICLE in watch._known:
            return watch
        time.sleep(0.005)
    raise AssertionError("the watch never heard its subscription confirmed")


def test_a_remembered_generation_costs_no_round_trip(key):
    backend = CountingCache()
    watch = listening(GenerationWatch(backend), key)
    before = backend.gets

    assert [watch.current(ARTICLE, key) for _ in range(50)] == ["first"] * 50
    assert backend.gets == before


def test_a_change_made_by_another_process_is_seen_on_the_very_next_read(key):
    reader = listening(GenerationWatch(), key)
    writer = GenerationWatch()

    cache.set(key, "second")
    writer.announce([ARTICLE])

    # No waiting: the announcement is in the reader's socket before announce() returns.
    assert reader.current(ARTICLE, key) == "second"


def test_clearing_the_cache_makes_every_process_forget_and_then_remember_again(key):
    backend = CountingCache()
    reader = listening(GenerationWatch(backend), key)

    cache.clear()
    cache.set(key, "after the clear")

    assert reader.current(ARTICLE, key) == "after the clear"
    gets = backend.gets
    assert reader.current(ARTICLE, key) == "after the clear"
    assert backend.gets == gets


def test_a_lost_subscription_sends_every_read_to_redis_until_it_is_back(key):
    reader = listening(GenerationWatch(), key)
    address = "{}:{}".format(*reader._connection._sock.getsockname())
    cache._cache.get_client(write=True).execute_command("CLIENT", "KILL", "ADDR", address)
    cache.set(key, "changed while nobody was listening")  # and so never announced

    assert reader.current(ARTICLE, key) == "changed while nobody was listening"
    assert not reader._live


def test_a_silently_cut_subscription_is_trusted_for_at_most_a_second(key, monkeypatch):
    reader = listening(GenerationWatch(), key)
    cache.set(key, "changed, announcement lost in the network")
    assert reader.current(ARTICLE, key) == "first"

    later = time.monotonic() + generation_watch.TRUST_SECONDS
    monkeypatch.setattr(generation_watch, "monotonic", lambda: later)
    assert reader.current(ARTICLE, key) == "changed, announcement lost in the network"


def test_a_forked_process_does_not_read_its_parents_subscription(key, monkeypatch):
    reader = listening(GenerationWatch(), key)
    parents_connection = reader._connection
    monkeypatch.setattr(generation_watch, "getpid", lambda: -1)
    cache.set(key, "second")

    assert reader.current(ARTICLE, key) == "second"
    assert reader._connection is not parents_connection
    parents_connection.disconnect()


def test_without_pub_sub_every_read_asks_redis_and_the_outage_is_logged_once(
    key, monkeypatch, caplog
):
    class NoPubSub(CountingCache):  # a proxy in front of Redis that refuses SUBSCRIBE
        def subscriber(self, channel):
            raise ConnectionError("unknown command 'SUBSCRIBE'")

    backend = NoPubSub()
    watch = GenerationWatch(backend)
    clock = [time.monotonic()]
    monkeypatch.setattr(generation_watch, "monotonic", lambda: clock[0])

    for value in ("first", "second", "third"):
        cache.set(key, value)
        assert watch.current(ARTICLE, key) == value
        clock[0] += generation_watch.RETRY_SECONDS  # each read tries to subscribe again

    assert backend.gets == 3
    assert caplog.text.count("page generation watch lost") == 1
