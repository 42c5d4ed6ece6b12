"""
The article a shared page shows, read whole only when its version moved.

A shared article page (an anonymous reader's: the same bytes for everyone) first reads a small
row: its version (`updated_at`: every change to what the page shows moves it, including its
terms, author and images: signal_handlers.py), its discussion's counters (`comment_count`,
`thread_count` and `comments_version` move together, without `updated_at`) and its
publication. The whole row, with its author and images, comes from this process's memory when
it was read at that `updated_at`; otherwise from the database, and kept. Compiling and reading
that row was about a third of Django's time for a page around a warm thread cache
(bench/README.md).

Each request gets its own copy (its related objects, read only, are shared). Bounded: emptied
when KEPT are kept, and when an article is saved or deleted in this process; other processes
see the new `updated_at`.
"""

import copy

from django.db.models.signals import post_delete, post_save
from django.shortcuts import get_object_or_404

from fitness.articles.models import Article

KEPT = 256
# Read on every request: what decides the page's version and whether it is shown, and the
# counters that move without `updated_at`.
LIGHT_FIELDS = (
    "pk",
    "slug",
    "status",
    "publish_at",
    "updated_at",
    "comments_open",
    "comments_version",
    "comment_count",
    "thread_count",
)
# Copied from the small row onto the kept one.
MOVING_FIELDS = (
    "status",
    "publish_at",
    "comments_open",
    "comments_version",
    "comment_count",
    "thread_count",
)

_kept = {}  # pk -> the article as read whole at its updated_at


def forget(**kwargs):
    _kept.clear()


post_save.connect(forget, sender=Article, dispatch_uid="fitness.articles.shared_rows.save")
post_delete.connect(forget, sender=Article, dispatch_uid="fitness.articles.shared_rows.delete")


def small_row(queryset, **lookup) -> Article:
    """The article's LIGHT_FIELDS (one small query), or 404."""
    return get_object_or_404(queryset.only(*LIGHT_FIELDS), **lookup)


def whole(queryset, light: Article, read) -> Article:
    """The article `light` names, whole: a copy of the one kept for its `updated_at`, else
    `read(queryset, pk)` (the caller's query, with its related rows), kept."""
    kept = _kept.get(light.pk)
    if kept is None or kept.updated_at != light.updated_at:
        kept = read(queryset, light.pk)
        if len(_kept) >= KEPT:
            _kept.clear()
        _kept[light.pk] = kept
    article = copy.copy(kept)
    for name in MOVING_FIELDS:
        setattr(article, name, getattr(light, name))
    return article
