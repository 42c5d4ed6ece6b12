import time
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, ListView

from fitness.articles import archives, navigation, search, shared_rows, site_settings
from fitness.articles.models import Article, Category, Page, Tag, can_edit_any_article
from fitness.core import clients, http_cache, page_shells


class PublishedArticlesMixin:
    """Readers only ever see published articles; whoever may edit an article may preview it
    (editors any draft or scheduled one, authors their own)."""

    def get_queryset(self):
        return Article.objects.select_related("author", "featured_image").readable_by(
            self.request.user
        )


class ArticleListView(ListView):
    """The home page: the latest published articles as cards. The list is public even for
    editors: drafts are reached from the admin."""

    template_name = "fitness/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.for_listing()


class TermArchiveView(ListView):
    """/category/<slug>/ and /tag/<slug>/: the term's published articles, newest first."""

    model = None  # Category or Tag
    kind = ""
    template_name = "fitness/archive.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.term = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return Article.objects.for_listing().filter(**{self.kind_field: self.term})

    @property
    def kind_field(self):
        return "categories" if self.model is Category else "tags"

    def get_context_data(self, **kwargs):
        feed = reverse(f"articles:{self.kind}_feed", kwargs={"slug": self.term.slug})
        return super().get_context_data(term=self.term, kind=self.kind, feed_url=feed, **kwargs)


class CategoryView(TermArchiveView):
    model, kind = Category, "category"


class TagView(TermArchiveView):
    model, kind = Tag, "tag"


class AuthorView(ListView):
    """/author/<username>/: the published articles of one account.

    Only an account with at least one published article has a page; any other name (staff,
    readers, a writer whose articles are all drafts or scheduled) is the same 404 as a name
    nobody has, so the address does not tell who has an account. One query still finds it."""

    template_name = "fitness/author.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        published = Article.objects.published().filter(author=OuterRef("pk"))
        users = get_user_model().objects.filter(Exists(published), is_active=True)
        self.author = get_object_or_404(users, username=self.kwargs["username"])
        return Article.objects.for_listing().filter(author=self.author)

    def get_context_data(self, **kwargs):
        name = self.author.get_full_name() or self.author.get_username()
        return super().get_context_data(author=self.author, author_name=name, **kwargs)


class DateArchiveView(ListView):
    """/YYYY/, /YYYY/MM/, /YYYY/MM/DD/: the articles published in that year, month or day,
    newest first (WordPress's date archives; fitness/articles/archives.py). A date that is not
    one, or a period with no published article, is a 404; /2010/3/ answers 301 to /2010/03/."""

    template_name = "fitness/date_archive.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    allow_empty = False  # a period without articles is no page

    def get(self, request, *args, **kwargs):
        self.period = archives.Period.from_parts(
            kwargs["year"], kwargs.get("month"), kwargs.get("day")
        )
        if self.period is None:
            raise Http404("No such date.")
        if request.path != self.period.url:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(self.period.url + (f"?{query}" if query else ""))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.period.articles(Article.objects.for_listing())

    def get_context_data(self, **kwargs):
        months = []
        if self.period.kind == "year":
            months = archives.months_of(self.period, Article.objects.published())
        return super().get_context_data(period=self.period, months=months, **kwargs)


class SearchView(ListView):
    """/search/?q=: published articles matching the words, best first, the match marked; a
    search refused (too many from one network, too slow) says why with its status."""

    template_name = "fitness/search.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.query = search.clean_query(request.GET.get("q", ""))
        # Counted as comments' flood control counts a client (the same proxy header, the same
        # IPv6 network; None in the settings is that setting's default there).
        ip = clients.client_ip(request, settings.COMMENTS_TRUSTED_PROXY_HEADER)
        network = clients.network(ip, settings.COMMENTS_FLOOD_IPV6_PREFIX or 64)
        try:
            self.found = search.find(self.query, network=network)
        except search.Refused as refusal:
            self.object_list = []
            response = self.render_to_response(
                {"query": self.query, "refusal": refusal.message, "articles": []},
                status=refusal.status,
            )
            if refusal.retry_after:
                response["Retry-After"] = str(refusal.retry_after)
            return response
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.found.ids if self.found else []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, **kwargs)
        if self.found:
            context["articles"] = search.page(context["page_obj"].object_list, self.found)
            context["left_out"] = " ".join(self.found.query.left_out)
            context["max_words"] = settings.SEARCH_MAX_WORDS
        return context


@lru_cache(maxsize=512)
def _terms(article_pk, updated_at):
    """{prefetch name: the article's categories (tags) as a read queryset} as of `updated_at`:
    any change to its terms, or to a term's name or address, moves the article's updated_at
    (signal_handlers.py), so a version read once is right for as long as it is asked for.
    Shared by the requests that ask: only ever iterated (a filter makes a new queryset)."""
    article = Article(pk=article_pk)
    found = {}
    for name in ("categories", "tags"):
        manager = getattr(article, name)
        terms = manager.get_queryset()
        terms._fetch_all()
        terms._prefetch_done = True
        found[manager.prefetch_cache_name] = terms
    return found


def with_terms(article):
    """The article with its categories and tags in place as prefetch_related would put them,
    from this process's memory when its version was read before (two queries a page saved)."""
    cached = getattr(article, "_prefetched_objects_cache", None)
    if cached is None:
        cached = article._prefetched_objects_cache = {}
    cached.update(_terms(article.pk, article.updated_at))
    return article


def _read_whole(queryset, pk):
    return with_terms(get_object_or_404(queryset, pk=pk))


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "fitness/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return with_terms(super().get_object(queryset))

    def get(self, request, *args, **kwargs):
        shared = http_cache.is_shareable(request) and not request.user.is_authenticated
        if not shared:
            self.object = self.get_object()
            return self.render_to_response(self.get_context_data(object=self.object))
        # One small query says the page's version; a reader whose copy is current gets a 304,
        # nothing rendered; the whole row is read only when the version moved (shared_rows).
        light = shared_rows.small_row(Article.objects.published(), **kwargs)
        etag = http_cache.version_etag(*self.version(light), self.shown_query(request))
        if "HTTP_IF_NONE_MATCH" in request.META:
            response = http_cache.not_modified(request, etag)
            if response is not None:
                return response
        self.object = shared_rows.whole(self.get_queryset(), light, _read_whole)
        context = self.get_context_data(object=self.object)
        # Everything but the comment section (and its JSON-LD) is the same for every reader of
        # this version of the page (its ETag): from its shell (fitness.core.page_shells). The
        # path is in the key as the header's menu marks the current page by it.
        key = ("article", request.path, etag)
        response = page_shells.render(request, self.template_name, context, key)
        response["ETag"] = etag
        return response

    @staticmethod
    def shown_query(request):
        """The query the page was asked with (?page=, ?sort=: each page and order of the
        discussion is its own page, with its own ETag), its parameters in a stable order."""
        return sorted(request.GET.lists())

    def get_context_data(self, **kwargs):
        """Staff who may change this article get a link to its editor (their pages are theirs
        alone: logged-in pages are never shared, so a reader's bytes do not change)."""
        context = super().get_context_data(**kwargs)
        user, article = self.request.user, self.object
        may_edit = user.is_staff and (
            can_edit_any_article(user)
            or (user.has_perm("fitness.change_article") and article.author_id == user.pk)
        )
        if may_edit:
            context["edit_url"] = reverse("admin:fitness_article_change", args=[article.pk])
        return context

    @staticmethod
    def version(article):
        """What the page shows of the article beyond the request's own query (?page=): its row
        (title, body, the comments switch, and the other rows it renders: terms, author,
        images, whose changes move updated_at: signal_handlers.py), its discussion
        (comments_version) and whether it still takes comments (they close by age). Each is
        one of shared_rows.LIGHT_FIELDS."""
        return (
            article.pk,
            article.updated_at.timestamp(),
            article.comments_version,
            article.accepts_comments(),
            # The header's categories and the footer's pages (cached: no query).
            navigation.version(),
            # The site's name, tagline and description (the admin's Site settings; cached).
            site_settings.version(),
            # The comment form's signed timestamp is good for COMMENTS_FORM_MAX_AGE: a copy
            # is confirmed (304) only within the hour it was rendered in, so it never is older.
            int(time.time() // 3600),
        )


class PageView(DetailView):
    """A standalone page at /<slug>/; staff may look at a draft before publishing it."""

    template_name = "fitness/page.html"
    context_object_name = "page"

    def get_queryset(self):
        if self.request.user.is_staff:
            return Page.objects.all()
        return Page.objects.published()
