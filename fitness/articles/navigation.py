"""
What every page's header and footer list: the categories that have a published article, by
name, and the published pages linked from the footer, in their order.

Each list is read once and kept in the cache, so it adds no query to a page; its entry is
dropped when what it shows changes (connected in apps.py: a category, an article or its
categories; a page), and expires after MENU_CACHE_SECONDS anyway, for the scheduled article
whose time comes. A cache that fails is skipped: the list is read from the database.
"""

import hashlib

from django.conf import settings
from django.db.models import Exists, OuterRef

from fitness.articles.models import Article, Category, Page
from fitness.core import tolerant_cache

KEY = "fitness:menu-categories:v1"
PAGES_KEY = "fitness:menu-pages:v1"


def menu_categories():
    """[(name, url)] of the categories that have a published article."""
    return _cached(KEY, read)


def footer_pages():
    """[{"title", "url"}] of the published pages linked from the footer, in their order."""
    return _cached(PAGES_KEY, read_pages)


def version() -> str:
    """What the menus show now, in a few characters (part of a page's ETag)."""
    text = repr((menu_categories(), footer_pages()))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:12]


def _cached(key, read):
    # Read by every page: kept a second in each process as well (another process's change
    # shows within it; this one's at once).
    return tolerant_cache.remembered(key, read, settings.MENU_CACHE_SECONDS, local_seconds=1)


def read():
    published = Article.objects.published().filter(categories=OuterRef("pk"))
    categories = Category.objects.filter(Exists(published)).only("name", "slug")
    return [(category.name, category.get_absolute_url()) for category in categories]


def read_pages():
    pages = Page.objects.published().filter(in_footer=True).only("title", "slug")
    return [{"title": page.title, "url": page.get_absolute_url()} for page in pages]


# An article saved with only these changed (a comment counted) changes no menu.
UNSEEN_FIELDS = {
    "comment_count",
    "thread_count",
    "comments_version",
    "updated_at",
    "comments_open",
}


def forget(update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= UNSEEN_FIELDS:
        return
    _forget(KEY)


def forget_pages(**kwargs):
    _forget(PAGES_KEY)


def _forget(key):
    tolerant_cache.delete(key)
