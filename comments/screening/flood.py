"""
Flood control: one comment per address (an IPv6 address's /64) and per email every
COMMENTS_FLOOD_SECONDS.

    refused, reason = claim(comment, ip, claims)   # the screening step (rules.flood)
    release(claims)                                # nothing was saved: the attempt does not count
    record(comment, ip)                            # saved: the window starts now

The counters live in the shared cache (Redis in production), claimed with `cache.add`, which
is atomic across processes. Each holds the post that claimed it (`post_mark`): the same post
sent again (its process died before it was saved or released its claim; nginx or the reader
sends it once more) is not flooding, and passes.

A cache that fails must not cost a reader their comment: then the database answers instead (was
a comment stored in the window from this address or this email?). That check is not atomic (two
posts in the same instant may both pass), which is the right trade while Redis is away; and
release and record are best effort.
"""

import hashlib
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


def post_mark(comment) -> str:
    """What tells this post from another: its article, reply-to, email and exact text."""
    what = f"{comment.article_id}:{comment.parent_id}:{comment.author_email}:{comment.body}"
    return hashlib.sha256(what.encode()).hexdigest()[:24]


def claim(comment, ip, claims):
    """(refused, reason). Claimed keys are appended to `claims`."""
    seconds = settings.COMMENTS_FLOOD_SECONDS
    value = [timezone.now().timestamp(), post_mark(comment)]
    for key in keys(comment, ip):
        added = tolerant_cache.add(key, value, seconds)
        if added is None:  # the cache failed: the database answers
            if recent_in_database(comment, ip, seconds):
                return True, "another comment from this address or email in the window (database)"
            return False, f"no other comment from this address in {seconds} s (database: no cache)"
        if not added and not _claimed_by(key, value[1]):
            return True, "another comment from this address or email in the window"
        claims.append(key)
    return False, f"no other comment from this address in {seconds} s"


def _claimed_by(key, mark) -> bool:
    """Whether the claim on `key` is this same post's, sent before (see the module's doc)."""
    held = tolerant_cache.get(key)
    return isinstance(held, list | tuple) and len(held) == 2 and held[1] == mark


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
    value = [timezone.now().timestamp(), post_mark(comment)]
    tolerant_cache.set_many(dict.fromkeys(keys(comment, ip), value), seconds)
