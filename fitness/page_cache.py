"""
Whole-page cache for the plain anonymous reader, with per-request values bound late.

Most article views come from readers with no session, no remembered name and no query other
than `?page=`: for them the page is the same bytes except for two values that must be fresh on
every request, the CSRF token and the comment form's signed timestamp. The page is rendered
once, those values are swapped for markers, and each hit fills the markers in again:

    late_bind(request, "comments.timestamp", value, arg)   # while rendering (a template tag)
    register("comments.timestamp", lambda request, arg: ...)   # how to make a fresh value
    personal_cookie("comment_author")   # a reader with this cookie gets a page of their own

The CSRF token needs no call: the page's `csrfmiddlewaretoken` inputs are found and refilled
with `get_token(request)`, which also sets the cookie the post will be checked against
(`fitness.csrf_token`: Django's, with its randomness drawn in one system call).

Anything else that varies per reader (a session, a remember-me cookie, messages, a logged-in
user, `?replytocom=`) makes the request uncacheable, and it is rendered as usual.

Never stale, and no SQL on a hit: each article has a *generation* in the cache, replaced
(after the transaction commits) by `invalidate()` whenever readers could see a change: a
comment approved, removed or marked spam, the article saved or deleted. A stored page names
the generation it was rendered under, read *before* the database was, so a page rendered from
data that was changing is never served. The generation lives in the cache, so every process
must share it (Redis); check --deploy warns (fitness.W001) when the page cache is on with a
per-process cache. A hit asks nobody: each process remembers the generations it has read
until a change is announced (`fitness.generation_watch`), and the page comes from this
process's memory when it served it recently, else from the cache.

When an invalidation fails (Redis down or paused at the moment a moderator approves), stale
pages are bounded two ways:
- the process that failed retries the new generation on its next page-cache call, at most
  every PAGE_CACHE_VERIFY_SECONDS, and meanwhile serves none of those articles' stored pages;
- every process checks a page it serves against the database at most once every
  PAGE_CACHE_VERIFY_SECONDS per article (one small query): a stored page names the article's
  `updated_at` and `comments_version` it was rendered from, which every change readers can see
  moves, so a page whose announcement was lost (by any process, even one that died since) is
  replaced within that many seconds, and its new generation is written then (the retry).
"""

import logging
import re
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from .csrf_token import get_token
from .generation_watch import watch
from .models import Article

logger = logging.getLogger(__name__)

PREFIX = "fitness:page"
SCHEMA = 5  # bump when the page markup changes: pages stored by the last release are not served
_ATTR = "_late_bound"
_MARK = "\x00late:{name}:{arg}\x00"
_MARK_RE = re.compile("\x00late:([a-z._]+):([^\x00]*)\x00")
_CSRF_RE = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_FILLERS = {}

# Cookies that change what a reader sees: with any of them the page is rendered for them alone.
PERSONAL_COOKIES = set()

# slug -> article id, learnt from pages rendered in this process: only a hint that lets a hit
# skip the database (a stored page carries its slug, and a wrong hint is simply a miss).
_article_ids = {}
_ARTICLE_IDS_MAX = 10_000
# The most recently served pages, in this process (about 150 KB each at 50 threads a page).
_recent = OrderedDict()
_RECENT_MAX = 64
# article id -> monotonic time its stored page was last found to match the database.
_verified = {}
# article id -> monotonic time to retry its new generation: the invalidation failed here.
_unannounced = {}


@dataclass(slots=True)
class StoredPage:
    slug: str
    generation: str
    expires_at: float  # epoch seconds: when the page would change by itself (comments close)
    version: tuple  # the article's (updated_at, comments_version) the page was rendered from
    pieces: list  # bytes, and (name, arg) for each late-bound value

    def fill(self, request):
        out = []
        for piece in self.pieces:
            if isinstance(piece, bytes):
                out.append(piece)
            else:
                out.append(fresh_value(request, *piece).encode())
        return b"".join(out)


def register(name, make_value):
    """`make_value(request, arg) -> str` gives a fresh value for a late-bound `name`."""
    _FILLERS[name] = make_value


def personal_cookie(name):
    """A reader who has the cookie `name` is never served (nor stored) the shared page."""
    PERSONAL_COOKIES.add(name)


def late_bind(request, name, value, arg=""):
    """Note that `value` in the page being rendered must be fresh for every reader."""
    bound = getattr(request, _ATTR, None)
    if bound is not None:
        bound.append((name, str(value), str(arg)))


def fresh_value(request, name, arg):
    if name == "csrf":
        return get_token(request)
    return _FILLERS[name](request, arg)


def is_cacheable(request):
    if request.method != "GET" or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if set(request.GET) - {"page"}:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not any(name in cookies for name in PERSONAL_COOKIES)


def page_number(request):
    page = request.GET.get("page", "1")
    if not (page.isascii() and page.isdigit() and len(page) < 6):
        return None
    return int(page)


def _generation_key(article_id):
    return f"{PREFIX}:s{SCHEMA}:g{article_id}"


def _page_key(article_id, number):
    return f"{PREFIX}:s{SCHEMA}:a{article_id}:p{number}"


def cached_response(request, slug):
    """The stored page of this URL, filled in for this request; None on a miss."""
    article_id = _article_ids.get(slug)
    number = page_number(request)
    if article_id is None or number is None:
        return None
    page_key = _page_key(article_id, number)
    if _unannounced:
        _retry_unannounced()
        if article_id in _unannounced:
            return None
    try:
        generation = watch.current(article_id, _generation_key(article_id))
        if generation is None:
            return None
        stored = _recent.get(page_key)
        if not _is_current(stored, slug, generation):
            stored = cache.get(page_key)
            if not _is_current(stored, slug, generation):
                return None
            _keep_recent(page_key, stored)
    except Exception:
        logger.exception("page cache read failed; rendering")
        return None
    if not _still_matches_database(article_id, stored):
        return None
    return HttpResponse(stored.fill(request))


def _article_version(article):
    return (article.updated_at.timestamp(), article.comments_version)


def _still_matches_database(article_id, stored):
    """True if the page was checked lately or still matches the article's row; else the
    article gets a new generation (a lost invalidation, retried) and the page is not served."""
    if time.monotonic() - _verified.get(article_id, -1e9) < settings.PAGE_CACHE_VERIFY_SECONDS:
        return True
    try:
        row = Article.objects.filter(pk=article_id).values_list("updated_at", "comments_version")
        row = row.first()
    except Exception:  # the database is down: the stored page is the best there is
        logger.exception("page cache: could not check article %s; serving", article_id)
        return True
    if row is not None and (row[0].timestamp(), row[1]) == stored.version:
        _note_verified(article_id)
        return True
    logger.warning("page cache: article %s changed without a new generation; renewing", article_id)
    _new_generations({article_id})
    return False


def _note_verified(article_id):
    if len(_verified) >= _ARTICLE_IDS_MAX:
        _verified.clear()
    _verified[article_id] = time.monotonic()


def _is_current(stored, slug, generation):
    return (
        stored is not None
        and stored.generation == generation
        and stored.slug == slug
        and stored.expires_at > time.time()
    )


def _keep_recent(page_key, stored):
    """Keep a page in this process too: a hit then fetches only the generation (a few bytes)."""
    _recent[page_key] = stored
    _recent.move_to_end(page_key)
    while len(_recent) > _RECENT_MAX:
        _recent.popitem(last=False)


def render_and_store(request, article, render):
    """`render()` the page of `article` and store it for the next plain reader."""
    number = page_number(request)
    generation = _current_generation(article.pk) if number is not None else None
    setattr(request, _ATTR, [])
    response = render()
    response.render()
    if response.status_code != 200 or generation is None:
        return response
    expires_at = _expires_at(article)
    timeout = min(settings.PAGE_CACHE_SECONDS, int(expires_at - time.time()))
    if timeout <= 0:
        return response
    stored = StoredPage(
        article.slug, generation, expires_at, _article_version(article), _pieces(request, response)
    )
    page_key = _page_key(article.pk, number)
    try:
        cache.set(page_key, stored, timeout)
        _keep_recent(page_key, stored)
    except Exception:
        logger.exception("page cache write failed")
        return response
    _note_verified(article.pk)
    if len(_article_ids) >= _ARTICLE_IDS_MAX:
        _article_ids.clear()
    _article_ids[article.slug] = article.pk
    return response


def invalidate(article_ids):
    """Pages of these articles are stale: new generations, once the transaction commits."""
    article_ids = set(article_ids)
    if article_ids:
        transaction.on_commit(lambda: _new_generations(article_ids))


def _new_generations(article_ids):
    try:
        cache.set_many({_generation_key(pk): secrets.token_hex(8) for pk in article_ids}, None)
        watch.announce(article_ids)
    except Exception:
        # Retried (_retry_unannounced); other processes find out within PAGE_CACHE_VERIFY_SECONDS.
        logger.exception(
            "page cache invalidation failed for articles %s; retrying", sorted(article_ids)
        )
        retry_at = time.monotonic() + settings.PAGE_CACHE_VERIFY_SECONDS
        _unannounced.update(dict.fromkeys(article_ids, retry_at))
        return False
    for pk in article_ids:
        _unannounced.pop(pk, None)
    return True


def _retry_unannounced():
    """Write the new generations this process failed to write, when their retry is due."""
    now = time.monotonic()
    due = {pk for pk, retry_at in list(_unannounced.items()) if retry_at <= now}
    if due and _new_generations(due):
        logger.info("page cache invalidation retried for articles %s", sorted(due))


def _current_generation(article_id):
    """The article's generation, made if there is none yet; None if the cache fails."""
    key = _generation_key(article_id)
    try:
        generation = cache.get(key)
        if generation is None:
            cache.add(key, secrets.token_hex(8), None)
            generation = cache.get(key)
    except Exception:
        logger.exception("page cache read failed; not storing")
        return None
    return generation


def _expires_at(article):
    """When the page changes without anyone touching the database: comments close by age."""
    closes_at = article.comments_closed_at() if article.comments_open else None
    if closes_at is not None and closes_at.timestamp() > time.time():
        return closes_at.timestamp()
    return time.time() + settings.PAGE_CACHE_SECONDS


def _pieces(request, response):
    """The rendered page as bytes and (name, arg) markers for this request's late values."""
    html = response.content.decode()
    for name, value, arg in getattr(request, _ATTR, []):
        html = html.replace(value, _MARK.format(name=name, arg=arg))
    html = _CSRF_RE.sub(lambda m: m.group(1) + _MARK.format(name="csrf", arg="") + m.group(3), html)
    parts = _MARK_RE.split(html)  # text, name, arg, text, name, arg, ..., text
    pieces = []
    for index in range(0, len(parts), 3):
        if parts[index]:
            pieces.append(parts[index].encode())
        if index + 2 < len(parts):
            pieces.append((parts[index + 1], parts[index + 2]))
    return pieces
