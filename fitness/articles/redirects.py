"""
Old addresses answer 301 with their new one, from the `Redirect` table (an import fills it).

Two moments, so that a live page never pays for the table:
- a request for the home page with the old site's query (`/?p=5`, `/?page_id=8`, `/?cat=2`,
  `/?feed=rss2`): looked up before the view, since the home page would answer 200;
- any other request that ended in 404: looked up by its path (and path + query).
Nothing else is guessed: an address the table does not hold stays a 404.
"""

from django.http import HttpResponsePermanentRedirect

from fitness.articles.models import Redirect, redirect_key

# The query parameters WordPress answers on its home page.
HOME_QUERY_KEYS = ("p", "page_id", "cat", "tag", "feed", "attachment_id")


def find(path: str, query: str = "") -> Redirect | None:
    keys = [redirect_key(path, query)] if query else []
    keys.append(redirect_key(path))
    found = {r.old_path: r for r in Redirect.objects.filter(old_path__in=keys)}
    return next((found[key] for key in keys if key in found), None)


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if request.path == "/" and query and any(k in request.GET for k in HOME_QUERY_KEYS):
            # Only the parameter that names the item: `?p=5&utm_source=x` is still post 5.
            key = next(k for k in HOME_QUERY_KEYS if k in request.GET)
            redirect = find("/", f"{key}={request.GET[key]}")
            if redirect is not None:
                return HttpResponsePermanentRedirect(redirect.location())
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            redirect = find(request.path, query)
            if redirect is not None:
                return HttpResponsePermanentRedirect(redirect.location())
        return response
