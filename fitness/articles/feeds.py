import html

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy

from fitness.articles import site_settings
from fitness.articles.markdown import sanitize
from fitness.articles.models import Article, Category, Tag


def feed_text(value):
    """Plain text for a feed's <title>: readers that treat it as HTML show the characters.
    Quotes are left alone (they mean nothing outside a tag), so most readers show "O'Brien"."""
    return html.escape(str(value), quote=False)


class LatestArticlesFeed(Feed):
    """Titles are plain text: escaped (as Django's own `item_title` does), so a feed reader that
    treats them as HTML shows the characters. Descriptions are HTML, sanitised like the body
    (an editor's excerpt is raw text, and a reader's feed client may run what it contains)."""

    link = reverse_lazy("articles:list")

    def title(self):
        return f"{site_settings.get('SITE_NAME')}: latest articles"

    def description(self):
        return site_settings.general().description

    def items(self):
        return self.articles()[:20]

    def articles(self):
        return Article.objects.for_listing().prefetch_related("tags")

    def item_title(self, item):
        return feed_text(item.title)

    def item_description(self, item):
        return sanitize(item.summary)

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
