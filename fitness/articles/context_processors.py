from functools import cache

from django.conf import settings
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.http import urlencode

from fitness.articles import navigation, site_settings
from fitness.core.reversing import reverse_cached


def site(request):
    """The site's name, tagline and description (`site`: the admin's Site settings over the
    environment's), the page's canonical address, the header's categories and the footer's pages
    (each read only if a template shows it, at most once) for every template."""
    general = SimpleLazyObject(site_settings.general)
    return {
        "site": general,
        "site_name": lazy(lambda: general.name, str)(),
        "canonical_url": canonical_url(request),
        "menu_categories": cache(navigation.menu_categories),
        "footer_pages": cache(navigation.footer_pages),
    }


def canonical_url(request):
    """SITE_URL + the path, keeping only a page number past the first (?page=2) and, on the
    search page, the words (?q=): the one address of this page whatever else the URL carried
    (?replytocom=, tracking tags)."""
    params = []
    query = request.GET.get("q", "").strip() if request.path == search_path() else ""
    if query:
        params.append(("q", " ".join(query.split())))
    page = request.GET.get("page", "")
    if page.isascii() and page.isdigit() and int(page) > 1:
        params.append(("page", str(int(page))))
    return f"{settings.SITE_URL}{request.path}{'?' + urlencode(params) if params else ''}"


def search_path():
    return reverse_cached("articles:search")
