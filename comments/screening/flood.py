"""
Flood control: one comment per address (an IPv6 address's /64) and per email every
COMMENTS_FLOOD_SECONDS.

    refused, reason = claim(comment, ip, claims)   # the screening step (rules.flood)
    release(claims)                                # nothing was saved: the attempt does not count
    record(comment, ip)                            # saved: the window starts now

The counters live in the shared cache (Redis in production), claimed with `cache.add`, which
is atomic across processes. A cache that fails must not cost a reader their comment: then
the database answers instead (was a comment stored in the window from this address or this
email?). That check is not atomic (two posts in the same instant may both pass), which is
the right trade while Redis is away; and release and record are best effort.
"""

from datetime import timedelta

from django.utils import timezone

from comments.conf import settings
from comments.models import Comment
from comments.readers.people import network_of
from fitness.core import tolerant_cache

# In the message readers see when refused (comments.screening.rules.FLOOD); tests look for it.
FLOOD_MESSAGE_FRAGMENT = "You are posting comments too quickly."
# Comments looked at by the database check: those of the last few seconds, so a handful.
FALLBACK_ROWS = 500


# What flood control counts an address as (an IPv4 address, or its IPv6 /64): the same network
# a commenter without an email is recognised by (comments.readers.people.network_of).
address_key = network_of


def _email_key(email):
    return email.strip().lower()


def keys(comment, ip):
    found = []
    if ip:
        found.append(f"comments:flood:ip:{address_key(ip)}")
    if comment.author_email:
        found.append(f"comments:flood:email:{_email_key(comment.author_email)}")
    return found


def claim(comment, ip, claims):
    """(refused, reason). Claimed keys are appended to `claims`."""
    seconds = settings.COMMENTS_FLOOD_SECONDS
    now = timezone.now().timestamp()
    for key in keys(comment, ip):
        added = tolerant_cache.add(key, now, seconds)
        if added is None:  # the cache failed: the database answers
            if recent_in_database(comment, ip, seconds):
                return True, "another comment from this address or email in the window (database)"
            return False, f"no other comment from this address in {seconds} s (database: no cache)"
        if not added:
            return True, "another comment from this address or email in the window"
        claims.append(key)
    return False, f"no other comment from this address in {seconds} s"


def recent_in_database(comment, ip, seconds):
    since = timezone.now() - timedelta(seconds=seconds)
    rows = (
        Comment.objects.filter(created_at__gte=since)
        .order_by("-created_at")
        .values_list("ip_address", "author_email")[:FALLBACK_ROWS]
    )
    address = address_key(ip) if ip else None
    email = _email_key(comment.author_email) if comment.author_email else None
    for row_ip, row_email in rows:
        if address is not None and row_ip and address_key(row_ip) == address:
            return True
        if email is not None and row_email and _email_key(row_email) == email:
            return True
    return False


def release(claims):
    """Give back what a refused attempt claimed (a failing cache keeps them: they expire)."""
    tolerant_cache.delete_many(claims)
    claims.clear()


def record(comment, ip):
    """The comment is saved: the window for its address and email starts again now."""
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return
    tolerant_cache.set_many({key: timezone.now().timestamp() for key in keys(comment, ip)}, seconds)
