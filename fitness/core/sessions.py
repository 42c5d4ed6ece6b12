"""
Django's cached_db sessions, surviving a cache that fails.

Django's `load` writes a session it read from the database into the cache and lets that
write raise, and `exists` (making a new session key at login) asks the cache unguarded. With
Redis down, every request of a logged-in reader or moderator was a 500, though every session
is in the database. Here a failing cache is only a slower read (Django's `save` already logs
and carries on). Logging in drops the anonymous session it replaces: from the database
always, from the cache when it can (that copy holds nothing a login added).

Logging out (`flush` → `delete`) deletes the row, then drops the cached copy when the cache
answers. When it does not, the logout still completes: the response deletes the cookie and
the key is never used again by this browser. What it cannot do is drop a copy a Redis that
comes back with its data still holds (a paused or partitioned Redis, not a restarted one
without persistence): someone replaying that old cookie would be signed in again until the
copy expires (SESSION_COOKIE_AGE). Raising did not prevent that: the row was already gone, and
the 500 kept the cookie in the browser. The failure is logged (`fitness.cache`).
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db, db

from fitness.core import tolerant_cache

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        data = tolerant_cache.get(self.cache_key, using=settings.SESSION_CACHE_ALIAS)
        if data is not None:
            return data
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        expiry = self.get_expiry_age(expiry=session.expire_date)
        tolerant_cache.set(self.cache_key, data, expiry, using=settings.SESSION_CACHE_ALIAS)
        return data

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception as error:
            logger.warning("session cache unavailable (%r); asking the database", error)
            return bool(session_key) and self.model.objects.filter(session_key=session_key).exists()

    def delete(self, session_key=None):
        """The row deleted, then the cached copy dropped if the cache answers (see above)."""
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        db.SessionStore.delete(self, session_key)
        tolerant_cache.delete(
            self.cache_key_prefix + session_key, using=settings.SESSION_CACHE_ALIAS
        )

    def cycle_key(self):
        """A new key for the same data (at login), as Django's; the old key's cached copy is
        dropped if the cache answers."""
        data, old_key = self._session, self.session_key
        self.create()
        self._session_cache = data
        if old_key:
            self.delete(old_key)
