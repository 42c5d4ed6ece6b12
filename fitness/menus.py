"""
What the site's header and footer list on every page, read once and kept in the cache, so a
page costs no query for them: the footer's pages.

`footer_pages()` is given to templates as a callable (Django calls it where the template uses
it); a page saved or deleted forgets the cached list (fitness/apps.py), and the list expires
after MENU_CACHE_SECONDS anyway. If the cache is down the list is read from the database.
"""

import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

FOOTER_PAGES_KEY = "fitness:menus:footer-pages"


def footer_pages() -> list[dict]:
    """[{"title", "url"}] of the published pages linked from the footer, in their order."""
    try:
        cached = cache.get(FOOTER_PAGES_KEY)
    except Exception:  # the cache is down: the page is still served, one query dearer
        logger.warning("menus: cache read failed; reading the footer's pages")
        return _read_footer_pages()
    if cached is None:
        cached = _read_footer_pages()
        try:
            cache.set(FOOTER_PAGES_KEY, cached, settings.MENU_CACHE_SECONDS)
        except Exception:
            logger.warning("menus: cache write failed")
    return cached


def forget() -> None:
    try:
        cache.delete(FOOTER_PAGES_KEY)
    except Exception:  # the list expires within MENU_CACHE_SECONDS
        logger.warning("menus: could not forget the footer's pages; they expire on their own")


def _read_footer_pages() -> list[dict]:
    from .models import Page

    return [
        {"title": page.title, "url": page.get_absolute_url()}
        for page in Page.objects.published().filter(in_footer=True).only("title", "slug")
    ]
