"""
The rendered comment thread of an article page, kept in the cache (Redis in production).

The key names everything the fragment depends on, so no entry is ever deleted, only no longer
asked for:

* `article.comments_version`, bumped by `counts.refresh_article_counts` on every change
  readers can see (new approved comment, approval, unapproval, removal, spam, erasure) and by
  every helpful mark and its undo (`services.reactions`: the counts are in the fragment);
* `article.updated_at`, which changes with any edit of the article (title, closing comments);
* the page of threads, its order (`?sort=`: oldest, newest, most helpful), the depth limit
  and whether comments are open (closing by age);
* SCHEMA, raised whenever the fragment's markup or class changes, so a deploy never serves
  entries rendered by the previous code.

The form is rendered around the fragment on every request (comments.templatetags.comment_tags);
the reader's own held comments are rendered only for them (comments.web.own: in their own page,
or for the script from `comments:mine`), never cached. A cache that fails is skipped: the page is
rendered as if nothing were cached.
"""

from django.core.signals import setting_changed

from comments.conf import settings
from comments.threads.reading import DEFAULT_ORDER
from fitness.core import tolerant_cache

PREFIX = "comments:thread"
# 2: the fragment carries its comments for the JSON-LD; 3: helpful, sorts; 4: comment actions,
# the zone named; 5: the JSON-LD comments kept encoded.
SCHEMA = 5
# Beyond this a page number is not a page anybody links to: render it, do not cache it.
MAX_CACHED_PAGE = 10_000


# The fragments read lately, in this process's memory in front of the shared cache: an entry
# never changes under its key, so a copy is as right as the cache's, and a page around a warm
# thread then asks Redis nothing for it (about 0.5 ms of a page on PostgreSQL + Redis: the
# round trip and unpickling ~400 KB). Bounded: LOCAL_KEPT fragments of at most LOCAL_MAX_CHARS
# (about 16 MB at most), emptied when full and whenever settings change.
LOCAL_KEPT = 32
LOCAL_MAX_CHARS = 512 * 1024
_local = {}


def _forget_local(**kwargs):
    _local.clear()


setting_changed.connect(_forget_local, dispatch_uid="comments.threads.cache.local")


def _keep_local(key, fragment):
    if len(fragment.html) + len(fragment.schema_comments_json) > LOCAL_MAX_CHARS:
        return
    if len(_local) >= LOCAL_KEPT:
        _local.clear()
    _local[key] = fragment


def cache_key(article, page_number, *, max_depth, is_open, order=DEFAULT_ORDER):
    updated = int(article.updated_at.timestamp() * 1_000_000)
    return (
        f"{PREFIX}:s{SCHEMA}:a{article.pk}:v{article.comments_version}:u{updated}"
        f":p{page_number}:{order}:d{max_depth}:o{int(is_open)}"
    )


def cacheable_page(raw):
    """The page number to store the fragment under: `raw` if it is a plain positive number up
    to MAX_CACHED_PAGE; else None (rendered, not cached)."""
    raw = str(raw)
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_CACHED_PAGE:
        return int(raw)
    return None


def cached_fragment(article, raw_page, *, max_depth, is_open, render, order=DEFAULT_ORDER):
    """`render(article, raw_page, max_depth=, is_open=, order=)`'s result, from the cache if
    there.

    Only the page actually rendered is stored (a page number past the last page renders the
    last page, which is stored under its own number), so odd URLs cannot fill the cache.
    """
    seconds = settings.COMMENTS_THREAD_CACHE_SECONDS
    page = cacheable_page(raw_page)
    if seconds <= 0 or page is None:
        return render(article, raw_page, max_depth=max_depth, is_open=is_open, order=order)
    key = cache_key(article, page, max_depth=max_depth, is_open=is_open, order=order)
    fragment = _local.get(key)
    if fragment is not None:
        return fragment
    fragment = tolerant_cache.get(key)
    if fragment is not None:
        _keep_local(key, fragment)
        return fragment
    fragment = render(article, page, max_depth=max_depth, is_open=is_open, order=order)
    if fragment.number == page:
        tolerant_cache.set(key, fragment, seconds)
        _keep_local(key, fragment)
    return fragment
