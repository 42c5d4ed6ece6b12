"""
The categories in the site's header: those with a published article, by name.

Read once and kept in the cache, so the header adds no query to a page; the entry is dropped
when a category, an article or an article's categories change (connected in apps.py), and
expires after MENU_SECONDS anyway, for the scheduled article whose time comes. A cache that
fails is skipped: the list is read from the database.
"""

import logging

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from .models import Article, Category

logger = logging.getLogger(__name__)

KEY = "fitness:menu-categories:v1"
MENU_SECONDS = 600


def menu_categories():
    """[(name, url)] of the categories that have a published article."""
    try:
        found = cache.get(KEY)
    except Exception as error:
        logger.warning("menu cache unavailable: %s: %s", type(error).__name__, error)
        return read()
    if found is None:
        found = read()
        try:
            cache.set(KEY, found, MENU_SECONDS)
        except Exception as error:
            logger.warning("menu cache not written: %s: %s", type(error).__name__, error)
    return found


def read():
    published = Article.objects.published().filter(categories=OuterRef("pk"))
    categories = Category.objects.filter(Exists(published)).only("name", "slug")
    return [(category.name, category.get_absolute_url()) for category in categories]


# An article saved with only these changed (a comment counted) changes no menu.
UNSEEN_FIELDS = {"comment_count", "comments_version", "updated_at", "comments_open"}


def forget(update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= UNSEEN_FIELDS:
        return
    try:
        cache.delete(KEY)
    except Exception as error:
        logger.warning("menu cache not cleared: %s: %s", type(error).__name__, error)
