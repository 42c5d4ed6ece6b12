"""
Articles' page generations kept in this process and forgotten the moment one changes, so that
a page-cache hit needs no round trip to Redis.

A hit must know the article's current generation (`fitness.page_cache`). Asking Redis for it
took a quarter of a hit's time. Instead, each process keeps the generations it has read, and
every change is announced on a Redis channel right after the new generation is stored:

    watch.current(article_id, key)   # the generation under `key`: from memory, else from Redis
    watch.announce(article_ids)      # after storing new generations: everyone forgets them
    cache.clear()                    # (the Redis backend's) everyone forgets everything

The process holds its own subscription to that channel. Before answering from memory, it
reads whatever has arrived without waiting (one poll of a socket, a few microseconds) and
forgets the generations named there.

Why this is as fresh as asking Redis:
- Redis writes the announcement to every subscriber in the same pass of its event loop as
  its reply to PUBLISH, and the request that made the change answers its client only after
  that reply. A reader's next request therefore finds the announcement already waiting in
  each process's socket (across hosts, it is on the wire alongside the reply).
- A generation is remembered only while the subscription is known to be live: from its
  confirmation on. Any error, a lost connection, or a new subscription clears everything,
  because announcements may have been missed.
- A remembered generation is trusted for at most `TRUST_SECONDS`. That bounds the one failure
  the socket cannot tell: a connection cut silently by the network.

With a cache that is not Redis (one process in development), the cache is asked every time;
it is this process's memory anyway.
"""

import logging
import threading
from os import getpid
from time import monotonic

from django.core.cache import cache

logger = logging.getLogger(__name__)

CHANNEL = "fitness:page-generations"
EVERYTHING = "*"  # announced when the cache is cleared
TRUST_SECONDS = 1.0
RETRY_SECONDS = 5.0  # after a failure, how long to ask Redis every time before subscribing again


class GenerationWatch:
    def __init__(self, backend=None):
        self._backend = backend  # a cache backend (tests give their own); `cache` by default
        self._known = {}  # article id -> (generation, monotonic time it was read)
        self._connection = None
        self._live = False  # the subscription is confirmed and nothing was lost since
        self._heard = 0  # announcements read so far (a read from Redis older than one is dropped)
        self._lock = threading.Lock()  # one reader of the socket at a time (gthread workers)
        self._pid = None
        self._retry_at = 0.0
        self._failing = False

    @property
    def backend(self):
        return self._backend or cache

    def current(self, article_id, key):
        """The generation stored under `key` (None if there is none)."""
        with self._lock:
            watching, heard = self._watching(), self._heard
        if watching:
            known = self._known.get(article_id)
            if known is not None and monotonic() - known[1] < TRUST_SECONDS:
                return known[0]
        read_at = monotonic()
        generation = self.backend.get(key)
        # Remembered only if no announcement was read meanwhile (another thread's): it could
        # be about this very article, and what was just read could be older than it.
        if generation is not None and watching and self._heard == heard:
            self._known[article_id] = (generation, read_at)
        return generation

    def announce(self, article_ids):
        """New generations of these articles are stored: every process must forget the old."""
        self._heard += 1
        for article_id in article_ids:
            self._known.pop(article_id, None)
        publish = getattr(self.backend, "publish", None)
        if publish is not None:
            publish(CHANNEL, ",".join(str(pk) for pk in sorted(article_ids)))

    def announce_clear(self):
        """The cache was emptied: every process must forget all it remembers."""
        self._heard += 1
        self._known.clear()
        self.backend.publish(CHANNEL, EVERYTHING)

    def _watching(self):
        """Read what has been announced; True when what this process remembers can be used."""
        subscribe = getattr(self.backend, "subscriber", None)
        if subscribe is None:
            return False
        if self._pid != getpid():  # a forked child must not read its parent's socket
            self._connection, self._pid = None, getpid()
            self._forget_all()
        try:
            if self._connection is None:
                if monotonic() < self._retry_at:
                    return False
                self._connection = subscribe(CHANNEL)
            self._read_announcements()
        except Exception as error:
            if not self._failing:  # once per outage, not every RETRY_SECONDS
                logger.warning("page generation watch lost (%r); asking Redis on every hit", error)
            self._failing = True
            self._drop_connection()
            return False
        return self._live

    def _read_announcements(self):
        connection = self._connection
        while connection.can_read(timeout=0):
            # push_request: under RESP3 (redis-py's default) announcements are push replies.
            kind, _channel, data = connection.read_response(push_request=True)
            self._heard += 1
            if kind == b"message" and data == EVERYTHING.encode():
                self._known.clear()
            elif kind == b"message":
                for article_id in data.split(b","):
                    self._known.pop(int(article_id), None)
            elif kind == b"subscribe":
                self._forget_all()  # anything announced before this was not heard
                self._live = True
                if self._failing:
                    logger.warning("page generation watch back")
                    self._failing = False

    def _forget_all(self):
        self._known.clear()
        self._live = False
        self._heard += 1

    def _drop_connection(self):
        self._forget_all()
        self._retry_at = monotonic() + RETRY_SECONDS
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.disconnect()  # redis-py's: closes the socket, raises nothing


watch = GenerationWatch()
