"""
Cross-site request forgery: an anonymous post from a shared page is checked by where it comes
from, everything else by Django's token.

A page shared by every anonymous reader cannot carry a per-reader token. So a view that takes
posts from such a page says so with `@origin_checked` (the comment form), and there, as Go
1.25's `net/http.CrossOriginProtection` and the OWASP Fetch Metadata guidance do, a POST from
an anonymous reader is refused when the browser says it was sent from another site:

1. `Sec-Fetch-Site` (every current browser sends it): `same-origin` or `none` (typed, a
   bookmark) pass; `cross-site` and `same-site` (a sibling subdomain) are refused, unless the
   `Origin` is one of CSRF_TRUSTED_ORIGINS;
2. without it (an older browser), `Origin`: it must be this site's (scheme and host, as
   Django's own origin check compares) or a trusted one; `null` is refused;
3. without either, `Referer`: when present, it must be this site's;
4. with none of the three, the request did not come from a page of another site in a browser
   (browsers send `Origin` on every cross-origin POST): it passes, as in Go.

A logged-in user (staff) keeps Django's full token check there too: their pages carry the token
and are never shared (fitness.core.http_cache). Every other view (the admin and its login, the
reader's private edit pages) checks the token as Django always does. docs/csrf.md says
what a forged anonymous post could do and why these checks are enough.
"""

from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.middleware import csrf as django_csrf
from django.utils.http import is_same_domain

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
REASON_SITE = "Sec-Fetch-Site says the form was sent from another site."
REASON_ORIGIN = "the Origin header names another site."
REASON_REFERER = "the Referer header names another site."


def origin_checked(view):
    """Anonymous posts to `view` need no token: they are refused when sent from another site."""
    view.csrf_by_origin = True
    return view


class CsrfViewMiddleware(django_csrf.CsrfViewMiddleware):
    def process_view(self, request, callback, callback_args, callback_kwargs):
        if (
            request.method in SAFE_METHODS
            or not getattr(callback, "csrf_by_origin", False)
            or getattr(request, "_dont_enforce_csrf_checks", False)
            or request.user.is_authenticated
        ):
            return super().process_view(request, callback, callback_args, callback_kwargs)
        reason = self.cross_site_reason(request)
        if reason is not None:
            return self._reject(request, reason)
        return self._accept(request)

    def cross_site_reason(self, request):
        """Why an anonymous POST looks sent from another site's page; None when it does not."""
        origin = request.META.get("HTTP_ORIGIN")
        site = request.META.get("HTTP_SEC_FETCH_SITE", "").lower()
        if site:
            if site in ("same-origin", "none"):
                return None
            return None if origin and origin in self.allowed_origins_exact else REASON_SITE
        if origin is not None:
            return None if self.is_our_origin(request, origin) else REASON_ORIGIN
        referer = request.META.get("HTTP_REFERER")
        if referer:
            try:
                parts = urlsplit(referer)
            except ValueError:
                return REASON_REFERER
            if not self.is_our_origin(request, f"{parts.scheme}://{parts.netloc}"):
                return REASON_REFERER
        return None

    def is_our_origin(self, request, origin):
        """`origin` is this site's (its scheme and host) or one of CSRF_TRUSTED_ORIGINS."""
        try:
            ours = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
        except DisallowedHost:
            ours = None
        if origin == ours or origin in self.allowed_origins_exact:
            return True
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        return any(
            is_same_domain(parts.netloc, host)
            for host in self.allowed_origin_subdomains.get(parts.scheme, ())
        )
