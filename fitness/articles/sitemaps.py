"""sitemap.xml: the home page, every published article (with its last change), and the
categories and tags that have published articles. Addresses are built from SITE_URL, not from
the request's Host header."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

from fitness.articles.models import Article, Category, Tag


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class HomeSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["articles:list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Article.objects.published().aggregate(last=Max("updated_at"))["last"]


class ArticleSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-publish_at")

    def lastmod(self, article):
        return article.updated_at


class TermSitemap(SiteSitemap):
    model = None
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        published = Article.objects.published().filter(**{self.field: OuterRef("pk")})
        return self.model.objects.filter(Exists(published)).order_by("slug")


class CategorySitemap(TermSitemap):
    model, field = Category, "categories"


class TagSitemap(TermSitemap):
    model, field = Tag, "tags"


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
}
