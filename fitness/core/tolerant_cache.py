"""The shared cache as the site uses it: a cache that fails is a miss, never an error.

Redis going away must cost a reader nothing but speed, so every cache call outside Django's own
machinery goes through here. A call that fails returns what a miss returns (`get` the default,
`add` None, the writes False) and is logged as

    cache unavailable: <operation> <key>: <error type>: <error>

at most once a minute per operation, so an outage is one line a minute, not one per request.
Callers that must not lose a count when the cache is down (flood control, form tokens) keep
their own fallback to the database: `add` tells them with None.

`remembered` values are also kept for the rest of the request that read them (the site's
settings and menus are asked for by several parts of one page: one round trip, not ten);
`set` and `delete` of a key drop it there too. Outside a request nothing is kept.

With `local_seconds`, a value is also kept in this process's memory for that long, so that
the requests of that second ask the shared cache nothing (the site's settings and menus: three
round trips on every page). Another process's change shows here within those seconds; this
process's own `set` or `delete` of the key, and any change of settings, drop it at once.
"""

import logging
import time

from asgiref.local import Local
from django.core.cache import caches
from django.core.signals import request_finished, request_started, setting_changed

logger = logging.getLogger("fitness.cache")

LOG_EVERY_SECONDS = 60
_MISSING = object()
_last_logged: dict[str, float] = {}


# The current request's remembered values ({(using, key): value}); None outside a request.
_request = Local()


def _begin_request(**kwargs):
    _request.values = {}


def _end_request(**kwargs):
    _request.values = None


def register():
    """Keep remembered values per request (called from fitness.core's AppConfig.ready)."""
    request_started.connect(_begin_request, dispatch_uid="tolerant_cache.begin_request")
    request_finished.connect(_end_request, dispatch_uid="tolerant_cache.end_request")


def _request_values():
    return getattr(_request, "values", None)


def _forget_in_request(key, using):
    values = _request_values()
    if values:
        values.pop((using, key), None)
    _local.pop((using, key), None)


# `remembered(..., local_seconds=...)`'s values: {(using, key): (until, value)}, monotonic.
_local = {}


def forget_local(**kwargs):
    _local.clear()


setting_changed.connect(forget_local, dispatch_uid="tolerant_cache.forget_local")


def _failed(operation, key, error):
    now = time.monotonic()
    if now - _last_logged.get(operation, -LOG_EVERY_SECONDS) >= LOG_EVERY_SECONDS:
        _last_logged[operation] = now
        logger.warning(
            "cache unavailable: %s %s: %s: %s", operation, key, type(error).__name__, error
        )


def get(key, default=None, *, using="default"):
    """The cached value, or `default` when it is missing or the cache fails."""
    try:
        return caches[using].get(key, default)
    except Exception as error:
        _failed("get", key, error)
        return default


def add(key, value, timeout, *, using="default"):
    """True if stored (the key was free), False if taken, None if the cache failed."""
    try:
        return caches[using].add(key, value, timeout=timeout)
    except Exception as error:
        _failed("add", key, error)
        return None


def set(key, value, timeout, *, using="default"):
    """Store; False when the cache failed (the value is read again next time)."""
    _forget_in_request(key, using)
    try:
        caches[using].set(key, value, timeout=timeout)
    except Exception as error:
        _failed("set", key, error)
        return False
    return True


def set_many(values, timeout, *, using="default"):
    for key in values:
        _forget_in_request(key, using)
    try:
        caches[using].set_many(values, timeout=timeout)
    except Exception as error:
        _failed("set_many", next(iter(values), ""), error)
        return False
    return True


def count(key, timeout, *, using="default"):
    """Add one to a counter that lives `timeout` seconds from its first count; the new count,
    or None when the cache failed (the caller decides what an unknown count allows)."""
    try:
        cache = caches[using]
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first count again
        return 1 if add(key, 1, timeout, using=using) else None
    except Exception as error:
        _failed("count", key, error)
        return None


def delete(key, *, using="default"):
    """Forget; False when the cache failed (the value then expires by itself)."""
    _forget_in_request(key, using)
    try:
        caches[using].delete(key)
    except Exception as error:
        _failed("delete", key, error)
        return False
    return True


def delete_many(keys, *, using="default"):
    for key in keys:
        _forget_in_request(key, using)
    try:
        caches[using].delete_many(keys)
    except Exception as error:
        _failed("delete_many", next(iter(keys), ""), error)
        return False
    return True


def remembered(key, read, timeout, *, using="default", local_seconds=0):
    """`read()`'s result, from the cache if there, else read and kept for `timeout` seconds.

    A failing cache reads every time (slower, still right). `read()` may return None: that is
    kept too, so an empty answer is not read again on every call. Within a request, a key is
    asked of the cache once, and with `local_seconds` once that long per process (see the
    module's docstring)."""
    values = _request_values()
    if values is not None and (using, key) in values:
        return values[(using, key)]
    kept = _local.get((using, key)) if local_seconds else None
    if kept is not None and kept[0] > time.monotonic():
        found = kept[1]
    else:
        found = get(key, _MISSING, using=using)
        if found is _MISSING:
            found = read()
            set(key, found, timeout, using=using)
        if local_seconds:
            _local[(using, key)] = (time.monotonic() + local_seconds, found)
    if values is not None:
        values[(using, key)] = found
    return found
