from django.conf import settings
from django.views.generic import DetailView, ListView, TemplateView

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
        return Article.objects.published().select_related("author").defer("body")


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "fitness/article_detail.html"
    context_object_name = "article"


class PrivacyView(TemplateView):
    template_name = "fitness/privacy.html"

    def get_context_data(self, **kwargs):
        # The retention periods and recipients come from the settings the code obeys.
        from comments.privacy import privacy_facts

        return {**super().get_context_data(**kwargs), **privacy_facts()}
