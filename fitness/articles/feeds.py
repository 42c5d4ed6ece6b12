import html
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.feedgenerator import Rss201rev2Feed

from fitness.articles import site_settings
from fitness.articles.markdown import sanitize
from fitness.articles.models import Article, Category, Tag

CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"


class FullTextRssFeed(Rss201rev2Feed):
    """RSS 2.0 with each article's whole text in <content:encoded> (RSS's content module), as
    WordPress writes it with "For each post in a feed, include: Full text": <description> stays
    the excerpt, and a reader that shows full text takes <content:encoded>."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_encoded"):
            handler.addQuickElement("content:encoded", item["content_encoded"])


# A URL attribute of the body's HTML that starts with "/" or "#": a feed is read away from the
# site, where neither means anything. srcset holds several, separated by commas.
_LOCAL_URL = re.compile(r'\b(href|src)="([/#][^"]*)"')
_SRCSET = re.compile(r'\bsrcset="([^"]*)"')


def absolute_urls(body_html, page_url):
    """`body_html` with its addresses made absolute: "/media/..." on SITE_URL, "#part" on the
    article's own page (`page_url`, absolute). The HTML was sanitised when it was rendered."""
    site = settings.SITE_URL

    def absolute(url):
        if url.startswith("//"):
            return url  # another host, scheme-relative
        if url.startswith("#"):
            return page_url + url
        return site + url if url.startswith("/") else url

    def attribute(match):
        return f'{match.group(1)}="{absolute(match.group(2))}"'

    def srcset(match):
        candidates = [part.strip() for part in match.group(1).split(",")]
        return 'srcset="' + ", ".join(absolute(c) for c in candidates if c) + '"'

    return _SRCSET.sub(srcset, _LOCAL_URL.sub(attribute, body_html))


def feed_text(value):
    """Plain text for a feed's <title>: readers that treat it as HTML show the characters.
    Quotes are left alone (they mean nothing outside a tag), so most readers show "O'Brien"."""
    return html.escape(str(value), quote=False)


class LatestArticlesFeed(Feed):
    """Titles are plain text: escaped (as Django's own `item_title` does), so a feed reader that
    treats them as HTML shows the characters. Descriptions are HTML, sanitised like the body
    (an editor's excerpt is raw text, and a reader's feed client may run what it contains)."""

    feed_type = FullTextRssFeed
    link = reverse_lazy("articles:list")

    def title(self):
        return f"{site_settings.get('SITE_NAME')}: latest articles"

    def description(self):
        return site_settings.general().description

    def items(self):
        return self.articles()[:20]

    def articles(self):
        articles = Article.objects.for_listing().prefetch_related("tags")
        # The body's HTML only when the feed carries it (listings leave it out).
        return articles.defer(None).defer("body") if settings.FEEDS_FULL_TEXT else articles

    def item_title(self, item):
        return feed_text(item.title)

    def item_description(self, item):
        return sanitize(item.summary)

    def item_extra_kwargs(self, item):
        """The whole article, as the page shows it (FEEDS_FULL_TEXT, on by default): the body's
        HTML, sanitised when it was rendered, with its addresses made absolute."""
        if not settings.FEEDS_FULL_TEXT:
            return {}
        page_url = settings.SITE_URL + item.get_absolute_url()
        return {"content_encoded": absolute_urls(item.body_html, page_url)}

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author_name  # an element of its own: the feed writer escapes it

    def item_categories(self, item):
        return [term.name for term in (*item.categories.all(), *item.tags.all())]


class TermFeed(LatestArticlesFeed):
    """The latest articles of one category or tag (/category/<slug>/feed/)."""

    model = None
    field = ""

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, term):
        return f"{site_settings.get('SITE_NAME')}: {term.name}"

    def link(self, term):
        return term.get_absolute_url()

    def description(self, term):
        return term.description or f"The latest articles in {term.name}."

    def items(self, term):
        return self.articles().filter(**{self.field: term})[:20]


class CategoryFeed(TermFeed):
    model, field = Category, "categories"


class TagFeed(TermFeed):
    model, field = Tag, "tags"
