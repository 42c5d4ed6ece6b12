from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from .models import Article


class LatestArticlesFeed(Feed):
    title = f"{settings.SITE_NAME}: latest articles"
    link = reverse_lazy("articles:list")
    description = "New articles on fitness, training and recovery."

    def items(self):
        return Article.objects.published().select_related("author").defer("body", "body_html")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author_name

    def item_categories(self, item):
        return [item.category]
