"""
Whole-page cache for the plain anonymous reader, with per-request values bound late.

Most article views come from readers with no session, no remembered name and no query other
than `?page=`: for them the page is the same bytes except for two values that must be fresh on
every request, the CSRF token and the comment form's signed timestamp. The page is rendered
once, those values are swapped for markers, and each hit fills the markers in again:

    late_bind(request, "comments.timestamp", value, arg)   # while rendering (a template tag)
    register("comments.timestamp", lambda request, arg: ...)   # how to make a fresh value

The CSRF token needs no call: the page's `csrfmiddlewaretoken` inputs are found and refilled
with `get_token(request)`, which also sets the cookie the post will be checked against.

Anything else that varies per reader (a session, a remember-me cookie, messages, a logged-in
user, `?replytocom=`) makes the request uncacheable, and it is rendered as usual. Keys name the
article's `comments_version` and `updated_at`, so a change readers can see is never served
stale, and a cache that fails is skipped.
"""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

logger = logging.getLogger(__name__)

PREFIX = "fitness:page"
SCHEMA = 1
_ATTR = "_late_bound"
_MARK = "\x00late:{name}:{arg}\x00"
_MARK_RE = re.compile("\x00late:([a-z._]+):([^\x00]*)\x00")
_CSRF_RE = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_FILLERS = {}

# Cookies that change what a reader sees: with any of them the page is rendered for them alone.
PERSONAL_COOKIES = ("comment_author",)


def register(name, make_value):
    """`make_value(request, arg) -> str` gives a fresh value for a late-bound `name`."""
    _FILLERS[name] = make_value


def late_bind(request, name, value, arg=""):
    """Note that `value` in the page being rendered must be fresh for every reader."""
    bound = getattr(request, _ATTR, None)
    if bound is not None:
        bound.append((name, str(value), str(arg)))


def is_cacheable(request):
    if request.method != "GET" or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if set(request.GET) - {"page"}:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not any(name in cookies for name in PERSONAL_COOKIES)


def cache_key(article, request):
    page = request.GET.get("page", "1")
    if not (page.isascii() and page.isdigit() and len(page) < 6):
        return None
    updated = int(article.updated_at.timestamp() * 1_000_000)
    return f"{PREFIX}:s{SCHEMA}:a{article.pk}:v{article.comments_version}:u{updated}:p{int(page)}"


def serve(request, key, render):
    """The cached page for `key`, filled in for this request; else `render()`, stored."""
    try:
        stored = cache.get(key)
    except Exception:
        logger.exception("page cache read failed; rendering")
        stored = None
    if stored is not None:
        return HttpResponse(fill(request, stored))
    setattr(request, _ATTR, [])
    response = render()
    response.render()
    if response.status_code == 200:
        try:
            cache.set(key, templatize(request, response.content.decode()),
                      settings.PAGE_CACHE_SECONDS)  # fmt: skip
        except Exception:
            logger.exception("page cache write failed")
    return response


def templatize(request, html):
    """The rendered page with this request's late-bound values replaced by markers."""
    for name, value, arg in getattr(request, _ATTR, []):
        html = html.replace(value, _MARK.format(name=name, arg=arg))
    return _CSRF_RE.sub(lambda m: m.group(1) + _MARK.format(name="csrf", arg="") + m.group(3), html)


def fill(request, html):
    def value(match):
        name, arg = match.groups()
        if name == "csrf":
            return get_token(request)
        return _FILLERS[name](request, arg)

    return _MARK_RE.sub(value, html)
