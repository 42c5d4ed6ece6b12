from django.conf import settings
from django.views.generic import DetailView, ListView, TemplateView

from . import page_cache
from .models import Article, Page


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
        # The plain anonymous reader gets the page from the cache (no SQL), with fresh tokens.
        plain = page_cache.is_cacheable(request) and not request.user.is_authenticated
        if plain:
            response = page_cache.cached_response(request, kwargs["slug"])
            if response is not None:
                return response
        self.object = self.get_object()

        def render():
            return self.render_to_response(self.get_context_data(object=self.object))

        if plain:
            return page_cache.render_and_store(request, self.object, render)
        return render()


class PageView(DetailView):
    """A standalone page at /<slug>/; staff may look at a draft before publishing it."""

    template_name = "fitness/page.html"
    context_object_name = "page"

    def get_queryset(self):
        if self.request.user.is_staff:
            return Page.objects.all()
        return Page.objects.published()


class PrivacyView(TemplateView):
    # What it says about comments comes from the comments app's {% privacy_facts %} tag.
    template_name = "fitness/privacy.html"
