"""
Who is posting: trust, the name a comment is shown under, and the client's address.

Ground floor: it knows a user and a request, nothing of screening or moderation.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest

from comments.conf import settings
from fitness.articles.models import AUTHORS_GROUP
from fitness.core import clients


def is_trusted(user) -> bool:
    """Staff and moderators: they skip the local holds and Akismet sees them as administrators.
    Authors (the Authors group: staff to reach the admin, with no say over comments) are not:
    their comments are screened as a reader's are."""
    if not (user and user.is_authenticated):
        return False
    if user.has_perm("comments.moderate_comment"):
        return True
    return user.is_staff and not is_author_only(user)


def is_author_only(user) -> bool:
    """In the Authors group and nothing more: writes articles, moderates nothing."""
    return (
        not user.is_superuser
        and user.groups.filter(name=AUTHORS_GROUP).exists()
        and not user.has_perm("comments.moderate_comment")
    )


def display_name(user) -> str:
    """The name a logged-in user's comment is shown under: their full name, else username."""
    name = user.get_full_name() or user.get_username()
    return name[: settings.COMMENTS_NAME_MAX_LENGTH]


def network_of(ip) -> str:
    """What an address counts as, for flood control and for recognising a commenter without an
    email: an IPv4 address (/32), or its IPv6 network of COMMENTS_FLOOD_IPV6_PREFIX bits (64).

    One IPv6 customer is given a whole /64 (often more), so counting single IPv6 addresses let
    a script rotate through 2**64 of them: 300 of 300 posts from 2001:db8:1::1 to ::12c went
    through. An IPv4-mapped IPv6 address counts as its IPv4 address; what is not an address is
    returned as it came.
    """
    return clients.network(ip, settings.COMMENTS_FLOOD_IPV6_PREFIX)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind a trusted proxy, the right-most address of its header instead."""
    return clients.client_ip(request, settings.COMMENTS_TRUSTED_PROXY_HEADER)


AUTHOR_BADGE = "Author"
MODERATOR_BADGE = "Moderator"


def badges(user_ids, article) -> dict[int, str]:
    """{user id: "Author" | "Moderator"} for the accounts among `user_ids` that wrote as the
    article's author or as staff (one query, none when no comment has an account)."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    found = {}
    staff = (
        get_user_model()
        .objects.filter(pk__in=ids)
        .filter(
            (Q(is_staff=True) & ~Q(groups__name=AUTHORS_GROUP))
            | Q(is_superuser=True)
            | Q(groups__permissions__codename="moderate_comment")
            | Q(user_permissions__codename="moderate_comment")
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for pk in staff:
        found[pk] = MODERATOR_BADGE
    if article.author_id in ids:
        found[article.author_id] = AUTHOR_BADGE
    return found
