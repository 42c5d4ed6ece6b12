"""RSS of an article's approved comments: name, date and text; never the email.

Titles are plain text, escaped (readers' names and article titles are not HTML); the text is
the comment's HTML, escaped and linked when it was saved (comments.threads.rendering).
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy

from comments.conf import settings
from comments.models import Comment
from fitness.articles.feeds import feed_text
from fitness.articles.models import Article

FEED_LENGTH = 30


class ArticleCommentsFeed(Feed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, article):
        return feed_text(f"Comments on: {article.title}")

    def link(self, article):
        return f"{article.get_absolute_url()}#comments"

    def description(self, article):
        return feed_text(
            f"The latest approved comments on “{article.title}” at {settings.SITE_NAME}."
        )

    def items(self, article):
        return (
            Comment.objects.public()
            .for_article(article)
            .only("id", "article_id", "author_name", "body_html", "created_at")
            .order_by("-created_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, comment):
        return feed_text(f"By: {comment.author_name}")

    def item_description(self, comment):
        return comment.body_html

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_guid(self, comment):
        return f"{settings.SITE_URL}{comment.get_absolute_url()}"

    item_guid_is_permalink = False

    def item_pubdate(self, comment):
        return comment.created_at

    def item_author_name(self, comment):
        return comment.author_name


class LatestCommentsFeed(ArticleCommentsFeed):
    """The site's latest approved comments, on published articles: /comments/feed/."""

    link = reverse_lazy("articles:list")

    def get_object(self, request):
        return None

    def title(self):
        return feed_text(f"{settings.SITE_NAME}: latest comments")

    def description(self):
        return feed_text(f"The latest approved comments on every article at {settings.SITE_NAME}.")

    def items(self):
        return (
            Comment.objects.public()
            .filter(article__in=Article.objects.published())
            .select_related("article")
            .only("id", "article__title", "author_name", "body_html", "created_at")
            .order_by("-created_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, comment):
        return feed_text(f"{comment.author_name} on {comment.article.title}")
