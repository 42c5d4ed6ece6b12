"""
How many of a web process's requests may wait on Akismet at once: AKISMET_MAX_CONCURRENT.

    with check_slot() as free:   # never waits
        if free: ask Akismet     # else: the comment is held unchecked and rechecked later

A slow Akismet then occupies at most that many of a process's threads; the others keep serving
pages. The Akismet adapter (`comments.screening.akismet.check`) is the one caller; a request
refused a slot records BUSY_ERROR as its Akismet error.
"""

import threading
from contextlib import contextmanager

from comments.conf import settings

BUSY_ERROR = "not asked: {limit} checks already waiting in this process (AKISMET_MAX_CONCURRENT)"

_slots_lock = threading.Lock()
_slots = {}  # {limit: BoundedSemaphore}: one per value of the setting (tests change it)


def busy_error() -> str:
    """The Akismet error recorded on a comment that was refused a slot."""
    return BUSY_ERROR.format(limit=settings.AKISMET_MAX_CONCURRENT)


@contextmanager
def check_slot():
    """Yields True when this thread may ask Akismet now, False when AKISMET_MAX_CONCURRENT
    requests of this process are already waiting on it (0: no limit). Never waits: a request
    refused a slot is answered at once, its comment held for the recheck."""
    limit = int(settings.AKISMET_MAX_CONCURRENT or 0)
    if limit <= 0:
        yield True
        return
    with _slots_lock:
        semaphore = _slots.setdefault(limit, threading.BoundedSemaphore(limit))
    taken = semaphore.acquire(blocking=False)
    try:
        yield taken
    finally:
        if taken:
            semaphore.release()
