"""
Old addresses answer 301 with their new one, from the `Redirect` table (an import fills it),
and WordPress's own address forms are understood without it.

Two moments, so that a live page never pays for the table:
- a request for the home page with WordPress's query (`/?p=5`, `/?page_id=8`, `/?cat=2`,
  `/?s=cramps`, `/?m=201003`; `WORDPRESS_QUERY`), answered before the view, since the home
  page would answer 200: the table first (what the import recorded: `?p=`, `?cat=` and
  `?author=` by WordPress's ids), then what the query means here (`home_query`); a WordPress
  query this site cannot answer is a 404, never the home page shown as if it were the answer;
- any other request that ended in 404: looked up by its path (and path + query); an old
  post's `/comment-page-2/` lands on that page of the article's comments, a listing's
  `/page/2/` on its `?page=2`, `/search/words/` on the search.
Nothing else is guessed: an address the table does not hold stays a 404.
"""

import re

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from fitness.articles.archives import Period
from fitness.articles.models import Article, Redirect, Tag, redirect_key

# What WordPress reads on its home page, in the order it is looked at here: the first one the
# request has decides. `cpage` (a comment page) only goes with `p`.
WORDPRESS_QUERY = (
    "p", "page_id", "attachment_id", "cat", "tag", "author", "author_name", "m", "year", "s",
    "feed", "paged",
)  # fmt: skip
COMMENT_PAGE = re.compile(r"^(?P<base>.*?)/comment-page-(?P<number>[0-9]{1,9})/?$")
# WordPress's pages of a listing (/page/2/, /category/fitness/page/2/, /2010/page/2/) and its
# search address (/search/cramps/).
LISTING_PAGE = re.compile(r"^(?P<base>.*?)/page/(?P<number>[0-9]{1,9})/?$")
PRETTY_SEARCH = re.compile(r"^/search/(?P<words>[^/]+)/?$")
LISTINGS = {
    "articles:list", "articles:category", "articles:tag", "articles:author", "articles:year",
    "articles:month", "articles:day",
}  # fmt: skip
SEARCH_MAX = 200  # the search box's maxlength
FEEDS = {"", "rss", "rss2", "atom", "rdf"}


def find(path: str, query: str = "") -> Redirect | None:
    keys = [redirect_key(path, query)] if query else []
    keys.append(redirect_key(path))
    found = {r.old_path: r for r in Redirect.objects.filter(old_path__in=keys)}
    return next((found[key] for key in keys if key in found), None)


def comment_page(redirect: Redirect, number: int) -> str:
    """Page `number` of the comments of the article a redirect leads to (WordPress numbered
    its comment pages as this site does: oldest threads first), at the comments."""
    if redirect.article_id is None:
        return redirect.location()
    query = f"?page={number}" if number > 1 else ""
    return f"{redirect.article.get_absolute_url()}{query}#comments"


def listing_page(base: str, number: int) -> str | None:
    """Page `number` of the listing at `base` here (or the one an old address of it leads
    to: the table first, as for the listing's own address); None when `base` is no listing."""
    redirect = find(base or "/")
    if redirect is not None:
        if redirect.article_id is not None:
            return None  # an article has no pages
        path = redirect.location()
    else:
        path = base.rstrip("/") + "/"
        try:
            if resolve(path).view_name not in LISTINGS:
                return None
        except Resolver404:
            return None
    if number <= 1:
        return path
    return f"{path}{'&' if '?' in path else '?'}page={number}"


def old_form(path: str) -> str | None:
    """Where WordPress's other address forms lead: a listing's /page/N/, /search/words/."""
    paged = LISTING_PAGE.match(path)
    if paged:
        return listing_page(paged["base"] or "/", int(paged["number"]))
    search = PRETTY_SEARCH.match(path)
    if search:
        return home_query("s", search["words"].replace("+", " "))
    return None


def home_query(key: str, value: str) -> str | None:
    """Where WordPress's `?key=value` on its home page leads here, without the table; None
    when this site has no such thing."""
    value = value.strip()
    if key == "s":
        words = " ".join(value.split())[:SEARCH_MAX]
        search = reverse("articles:search")
        return f"{search}?{urlencode({'q': words})}" if words else search
    if key == "tag":
        tag = Tag.objects.filter(slug=value).first() if value else None
        return tag.get_absolute_url() if tag else None
    if key == "author_name":
        published = Article.objects.published().filter(
            author__username=value, author__is_active=True
        )
        if value and published.exists():
            return reverse("articles:author", kwargs={"username": value})
        return None
    if key in ("m", "year"):
        return None  # read with the other date parts: `date_query`
    if key == "feed":
        return reverse("articles:feed") if value in FEEDS else None
    if key == "paged":
        if value.isascii() and value.isdigit() and 0 < int(value) < 10**9:
            home = reverse("articles:list")
            return home if int(value) == 1 else f"{home}?page={int(value)}"
        return None
    return None  # p, page_id, attachment_id, cat, author: only what the import recorded


def date_query(query) -> str | None:
    """`?m=201003`, or `?year=2010&monthnum=3&day=15`: the archive of that period, if it has
    published articles."""
    if "m" in query:
        period = Period.from_wordpress_m(query["m"])
    else:
        parts = [query.get(name, "").strip() or None for name in ("year", "monthnum", "day")]
        if not all(p is None or (p.isascii() and p.isdigit()) for p in parts) or (
            parts[2] and not parts[1]
        ):
            return None
        period = Period.from_parts(*parts)
    if period is None or not period.articles(Article.objects.published()).exists():
        return None
    return period.url


def answer_home_query(request):
    """The 301 (or the 404) for WordPress's query on the home page; None: not WordPress's."""
    key = next((k for k in WORDPRESS_QUERY if k in request.GET), None)
    if key is None:
        return None
    value = request.GET[key]
    if not value.strip() and key != "s":
        return None  # `/?p=` names nothing: WordPress, too, showed its home page
    # Only the parameter that names the item: `?p=5&utm_source=x` is still post 5.
    redirect = find("/", f"{key}={value}")
    if redirect is not None:
        cpage = request.GET.get("cpage", "")
        if key == "p" and cpage.isascii() and cpage.isdigit() and len(cpage) < 10:
            return HttpResponsePermanentRedirect(comment_page(redirect, int(cpage)))
        return HttpResponsePermanentRedirect(redirect.location())
    location = date_query(request.GET) if key in ("m", "year") else home_query(key, value)
    if location is None:
        raise Http404(f"WordPress's ?{key}= names nothing on this site.")
    return HttpResponsePermanentRedirect(location)


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading = request.method in ("GET", "HEAD")
        if reading and request.path == "/" and request.META.get("QUERY_STRING"):
            answer = answer_home_query(request)
            if answer is not None:
                return answer
        response = self.get_response(request)
        if response.status_code == 404 and reading:
            query = request.META.get("QUERY_STRING", "")
            redirect = find(request.path, query)
            if redirect is not None:
                return HttpResponsePermanentRedirect(redirect.location())
            paged = COMMENT_PAGE.match(request.path)
            redirect = find(paged["base"] or "/") if paged else None
            if redirect is not None:
                return HttpResponsePermanentRedirect(comment_page(redirect, int(paged["number"])))
            location = old_form(request.path)
            if location is not None:
                return HttpResponsePermanentRedirect(location)
        return response
