"""
Who is posting: trust, the name a comment is shown under, and the client's address.

Ground floor: it knows a user and a request, nothing of screening or moderation.
"""

import ipaddress

from django.http import HttpRequest

from .conf import settings


def is_trusted(user) -> bool:
    """Staff and moderators: they skip the local holds and Akismet sees them as administrators."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_staff or user.has_perm("comments.moderate_comment"))
    )


def display_name(user) -> str:
    """The name a logged-in user's comment is shown under: their full name, else username."""
    name = user.get_full_name() or user.get_username()
    return name[: settings.COMMENTS_NAME_MAX_LENGTH]


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind a trusted proxy, the right-most address of its header instead."""
    header = settings.COMMENTS_TRUSTED_PROXY_HEADER
    if header:
        forwarded = [part for part in request.META.get(header, "").split(",") if part.strip()]
        if forwarded:
            address = _valid_ip(forwarded[-1])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))
