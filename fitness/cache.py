"""
Django's Redis cache backend, keeping one `redis.Redis` per connection pool, with pub/sub.

Django's client builds a new `redis.Redis` on every cache call, and each one builds its table
of response callbacks: about 0.25 ms, more than the round trip to Redis itself on a cached page.
A `redis.Redis` is safe to share (it takes a connection from its pool for each command), so one
per pool is kept.

`publish()` and `subscriber()` announce and hear changes on a channel named like a key (under
the cache's KEY_PREFIX), on the server the cache writes to (`fitness.generation_watch`).
Everything else is Django's.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def publish(self, channel, message):
        return self.get_client(write=True).publish(channel, message)

    def subscriber(self, channel):
        """A connection of its own (never back to the pool) that has sent SUBSCRIBE `channel`.

        Its replies are read with `can_read(timeout=0)` and `read_response()`; it does not
        reconnect by itself, so a caller learns of every break.
        """
        pool = self._get_connection_pool(write=True)
        connection = pool.connection_class(**pool.connection_kwargs)
        connection.send_command("SUBSCRIBE", channel)
        return connection


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def publish(self, channel, message):
        """PUBLISH `message` on `channel` (a name like a key's); how many subscribers heard it."""
        return self._cache.publish(self.make_and_validate_key(channel), message)

    def subscriber(self, channel):
        return self._cache.subscriber(self.make_and_validate_key(channel))

    def clear(self):
        """Empty the cache, and tell every process to forget the page generations it holds."""
        from .generation_watch import watch  # generation_watch imports this module: a cycle

        super().clear()
        watch.announce_clear()
