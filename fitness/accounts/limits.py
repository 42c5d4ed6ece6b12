"""How many password resets may be asked for: ACCOUNTS_RESET_PER_ADDRESS for one email address
and ACCOUNTS_RESET_PER_NETWORK from one network (an IPv4 address, an IPv6 /64) in
ACCOUNTS_RESET_WINDOW_MINUTES, so the form cannot be used to flood an inbox or to send mail at
scale. Every request counts, whether or not an account has the address: the answer never tells
which addresses have one.

Counts live in the shared cache (the address as a hash); while it cannot be reached, each
process counts on its own, so a Redis outage loosens the limit by the number of processes and
never lifts it.
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache

from fitness.core import clients

_local = {}
_local_lock = threading.Lock()


def refusal(email: str, request) -> str:
    """Count this request; the message that refuses it, or "" when it is within both limits."""
    window = settings.ACCOUNTS_RESET_WINDOW_MINUTES * 60
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    ip = clients.client_ip(request, getattr(settings, "COMMENTS_TRUSTED_PROXY_HEADER", "") or "")
    over_address = _hit(f"accounts:reset:address:{address}", window) > (
        settings.ACCOUNTS_RESET_PER_ADDRESS
    )
    over_network = _hit(f"accounts:reset:network:{clients.network(ip)}", window) > (
        settings.ACCOUNTS_RESET_PER_NETWORK
    )
    if not (over_address or over_network):
        return ""
    minutes = settings.ACCOUNTS_RESET_WINDOW_MINUTES
    return (
        "Too many password resets were asked for "
        f"{'this address' if over_address else 'from your network'} in the last "
        f"{minutes} minute{'s' if minutes != 1 else ''}. Please wait a while, then try again; "
        "an email already sent stays valid."
    )


def _hit(key: str, window: int) -> int:
    """Add one to `key`'s count in this window and return the count."""
    try:
        cache.add(key, 0, timeout=window)
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1
    except Exception:  # the cache is down: this process counts alone
        return _local_hit(key, window)


def _local_hit(key: str, window: int) -> int:
    now = time.monotonic()
    with _local_lock:
        for stale in [k for k, (until, _n) in _local.items() if until <= now]:
            del _local[stale]
        until, count = _local.get(key, (now + window, 0))
        _local[key] = (until, count + 1)
        return count + 1
