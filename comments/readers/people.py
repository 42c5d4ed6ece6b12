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
