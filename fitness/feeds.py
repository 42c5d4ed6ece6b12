import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from .markdown import sanitize
from .models import Article


def feed_text(value):
    """Plain text for a feed's <title>: readers that treat it as HTML show the characters.
    Quotes are left alone (they mean nothing outside a tag), so most readers show "O'Brien"."""
    return html.escape(str(value), quote=False)


class LatestArticlesFeed(Feed):
    """Titles are plain text: escaped (as Django's own `item_title` does), so a feed reader that
    treats them as HTML shows the characters. Descriptions are HTML, sanitised like the body
    (an editor's excerpt is raw text, and a reader's feed client may run what it contains)."""

    title = f"{settings.SITE_NAME}: latest articles"
    link = reverse_lazy("articles:list")
    description = "New articles on fitness, training and recovery."

    def items(self):
        return Article.objects.published().select_related("author").defer("body", "body_html")[:20]

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
        return [item.category]
