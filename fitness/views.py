from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from . import http_cache
from .models import Article


class PublishedArticlesMixin:
    """Readers only ever see published articles; staff may preview drafts and scheduled ones."""

    def get_queryset(self):
        articles = Article.objects.select_related("author")
        if self.request.user.is_staff:
            return articles
        return articles.published()


class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "fitness/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        # The list is public even for staff: drafts are reached from the admin.
        return Article.objects.published().select_related("author").defer("body", "body_html")


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "fitness/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        shared = http_cache.is_shareable(request) and not request.user.is_authenticated
        if shared and "HTTP_IF_NONE_MATCH" in request.META:
            # A reader whose copy is current gets a 304 from one small query, nothing rendered.
            light = Article.objects.published().only(*self.VERSION_FIELDS)
            etag = http_cache.version_etag(*self.version(get_object_or_404(light, **kwargs)))
            response = http_cache.not_modified(request, etag)
            if response is not None:
                return response
        self.object = self.get_object()
        response = self.render_to_response(self.get_context_data(object=self.object))
        if shared:
            response["ETag"] = http_cache.version_etag(*self.version(self.object))
        return response

    # What the page shows of the article beyond the request's own query (?page=): its row
    # (title, body, the comments switch: updated_at moves), its discussion (comments_version)
    # and whether it still takes comments (they close by age).
    VERSION_FIELDS = ("pk", "updated_at", "comments_version", "comments_open", "publish_at")

    @staticmethod
    def version(article):
        return (
            article.pk,
            article.updated_at.timestamp(),
            article.comments_version,
            article.accepts_comments(),
        )


class PrivacyView(TemplateView):
    # What it says about comments comes from the comments app's {% privacy_facts %} tag.
    template_name = "fitness/privacy.html"
