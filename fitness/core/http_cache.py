"""
HTTP caching for every page, in one place: what any cache (nginx, a CDN, a browser) may keep.

An anonymous page is the same bytes for every anonymous reader (no CSRF token, a form timestamp
shared by all readers of an article during one second), so a shared cache may store it. This
middleware decides, for every GET or HEAD, without the view doing anything:

* shareable (no session or messages cookie, no `?mine=`, no logged-in user, no Set-Cookie on
  the response, a 200 or 304 the view did not mark itself):
  `Cache-Control: public, max-age=0, s-maxage=HTTP_CACHE_SECONDS,
  stale-while-revalidate=HTTP_CACHE_STALE_SECONDS`. Browsers revalidate every time (`max-age=0`,
  answered by a 304 when the ETag matches); shared caches keep it for s-maxage. A page whose
  view gave no ETag gets one from its bytes, so a browser's revalidation is a 304 too;
* personal (a session, the messages cookie, a logged-in user, the reader asking for their own
  page with `?mine=1`, a response that sets a cookie):
  `Cache-Control: private, no-store`, so no cache keeps it, never a shared one.

What an app remembers about an anonymous reader (the comments app's remembered name, held
comments, edit window) does not make a page personal: the page is the same for them as for a
stranger, and the script fills in their part from a small private request. Without the script,
the reader gets their own page when they ask for it: `?mine=1` (PERSONAL_PARAMETER), which the
comments app adds where a post of theirs lands.

`Vary: Cookie`, which Django adds when the session was looked at, is taken off a shared page:
nothing in it comes from a cookie (a session or messages cookie makes the page personal, and
nginx bypasses its cache for those), and nginx keeps one variant per distinct Cookie header, so
with it every returning commenter (each with cookies of their own) would miss the cache. A
personal page keeps it.

Without nginx in front, the embedded store (Django's cache framework, the `pages` cache: each
process's memory) keeps every shareable response for PAGE_CACHE_SECONDS, the same bound as
s-maxage, so a page is never older than that for any reader, and nothing needs invalidating.
"""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date

logger = logging.getLogger(__name__)

PAGES_CACHE = "pages"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
# `?mine=1`: the reader asks for their own page (rendered for them, never stored), the way to
# see what is theirs without the script (deploy/nginx.conf.example bypasses its cache on it too).
PERSONAL_PARAMETER = "mine"


def _release():
    """What this code would render: the templates and the installed apps' own modules (those
    inside the project), so a deploy changes every ETag and the embedded store's keys (two
    processes from one checkout agree)."""
    digest = hashlib.md5(usedforsecurity=False)
    root = Path(settings.BASE_DIR)
    folders = [Path(folder) for template in settings.TEMPLATES for folder in template["DIRS"]]
    folders += [root / app.split(".")[0] for app in settings.INSTALLED_APPS]
    for folder in dict.fromkeys(f for f in folders if f.is_dir()):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".txt"} and path.is_file():
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()


def is_shareable(request):
    """True when nothing in the request makes the page this reader's own."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if PERSONAL_PARAMETER in request.GET:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def is_personal(request):
    """True when this request's page is the reader's own (never shared, never stored): what is
    theirs may be rendered in it."""
    if not is_shareable(request):
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def shared_cache_control():
    return (
        f"public, max-age=0, s-maxage={settings.HTTP_CACHE_SECONDS}, "
        f"stale-while-revalidate={settings.HTTP_CACHE_STALE_SECONDS}"
    )


def version_etag(*parts):
    """A weak ETag naming what a page was rendered from (its data and this release).

    Weak: two renderings of the same data differ only in the form's signed timestamp, which
    makes them equivalent, not byte-identical."""
    text = ":".join(str(part) for part in (RELEASE, *parts))
    return f'W/"{hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:20]}"'


def not_modified(request, etag):
    """A 304 when the reader's copy carries `etag` (If-None-Match), else None."""
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        response["Cache-Control"] = shared_cache_control()
    return response


def _personal(request, response):
    if response.cookies:
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _drop_cookie_vary(response):
    """A shared page does not vary with the reader's cookies (the module's docstring)."""
    kept = [
        name.strip()
        for name in response.get("Vary", "").split(",")
        if name.strip() and name.strip().lower() != "cookie"
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif response.has_header("Vary"):
        del response["Vary"]


class SharedCacheMiddleware:
    """Cache-Control (and an ETag) on every page; the embedded store for shareable pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        shareable = is_shareable(request)
        if shareable:
            stored = self._stored(request)
            if stored is not None:
                return stored
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or "Cache-Control" in response:
            return response  # a POST's answer, or a view that said (never_cache, the admin)
        if not shareable or _personal(request, response):
            response["Cache-Control"] = "private, no-store"
            return response
        if response.status_code not in (200, 304) or response.streaming:
            return response
        response["Cache-Control"] = shared_cache_control()
        _drop_cookie_vary(response)
        if response.status_code == 200:
            if not response.has_header("ETag"):
                set_response_etag(response)
            if not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date()
            self._store(request, response)
        return (
            get_conditional_response(request, etag=response.get("ETag"), response=response)
            or response
        )

    # --- the embedded store (no nginx in front) ------------------------------------------

    def _key(self, request):
        scheme = "https" if request.is_secure() else "http"
        return f"page:{RELEASE}:{scheme}://{request.get_host()}{request.get_full_path()}"

    def _stored(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0:
            return None
        try:
            entry = caches[PAGES_CACHE].get(self._key(request))
        except Exception:
            logger.exception("page store read failed; rendering")
            return None
        if entry is None:
            return None
        status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return get_conditional_response(request, etag=response.get("ETag"), response=response) or (
            response
        )

    def _store(self, request, response):
        if settings.PAGE_CACHE_SECONDS <= 0:
            return
        entry = (response.status_code, list(response.items()), response.content)
        try:
            caches[PAGES_CACHE].set(self._key(request), entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page store write failed")
