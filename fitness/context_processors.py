from django.conf import settings

from . import menus


def site(request):
    """The site's name, the page's canonical address and the footer's pages, for every
    template (the pages are read only if the template shows them, and then from the cache)."""
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": canonical_url(request),
        "footer_pages": menus.footer_pages,
    }


def canonical_url(request):
    """SITE_URL + the path, keeping only a page number past the first (?page=2): the one
    address of this page whatever else the URL carried (?replytocom=, tracking tags)."""
    page = request.GET.get("page", "")
    query = f"?page={int(page)}" if page.isascii() and page.isdigit() and int(page) > 1 else ""
    return f"{settings.SITE_URL}{request.path}{query}"
