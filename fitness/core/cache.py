"""
Django's Redis cache backend, keeping one `redis.Redis` per connection pool, failing fast.

Django's client builds a new `redis.Redis` on every cache call, and each one builds its table
of response callbacks: about 0.25 ms, more than the round trip to Redis itself on a cached page.
A `redis.Redis` is safe to share (it takes a connection from its pool for each command), so one
per pool is kept.

Failing fast: when Redis stops answering (paused, or a network that drops packets) every call
waits for the socket timeout (1 s), and a post made about six calls, so it took 5.4 s and a
page view about 4 s, holding a worker all that time. After a connection error or timeout this
process's calls raise the same error at once for CACHE_FAIL_FAST_SECONDS, then try Redis
again. Every caller already treats a raising cache as absent (issue 15).

Everything else is Django's.
"""

import logging
import time

from django.conf import settings
from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_OPERATIONS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr",
               "set_many", "delete_many", "clear")  # fmt: skip


class _FailFast:
    """After Redis could not be reached: the error again, at once, for a few seconds."""

    def __init__(self):
        self.until = 0.0
        self.error = None

    def check(self):
        if self.error is not None and time.monotonic() < self.until:
            raise RedisConnectionError(f"Redis unreachable a moment ago ({self.error})")

    def trip(self, error):
        seconds = settings.CACHE_FAIL_FAST_SECONDS
        if seconds > 0:
            if self.error is None:
                logger.warning("Redis unreachable (%r); failing fast for %s s", error, seconds)
            self.until, self.error = time.monotonic() + seconds, error

    def reset(self):
        if self.error is not None:
            logger.warning("Redis answers again")
        self.error = None


_FAIL_FAST = {}  # the servers (a tuple of URLs) -> their _FailFast


def _failing_fast(operation):
    def call(self, *args, **kwargs):
        self._fail_fast.check()
        try:
            result = operation(self, *args, **kwargs)
        except _UNREACHABLE as error:
            self._fail_fast.trip(error)
            raise
        self._fail_fast.reset()
        return result

    call.__name__ = operation.__name__
    return call


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        # One per server and process: Django makes a client per thread, all must know.
        self._fail_fast = _FAIL_FAST.setdefault(tuple(self._servers), _FailFast())

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


for _name in _OPERATIONS:
    setattr(RedisCacheClient, _name, _failing_fast(getattr(RedisCacheClient, _name)))


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
