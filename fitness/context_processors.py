from django.conf import settings


def site(request):
    """The site's name, and the page's canonical address, for every template."""
    return {"site_name": settings.SITE_NAME, "canonical_url": canonical_url(request)}


def canonical_url(request):
    """SITE_URL + the path, keeping only a page number past the first (?page=2): the one
    address of this page whatever else the URL carried (?replytocom=, tracking tags)."""
    page = request.GET.get("page", "")
    query = f"?page={int(page)}" if page.isascii() and page.isdigit() and int(page) > 1 else ""
    return f"{settings.SITE_URL}{request.path}{query}"
