from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from . import feeds, health, views
from .sitemaps import SITEMAPS

# The moderators' tool carries the site's name, not "Django administration".
admin.site.site_header = f"{settings.SITE_NAME} moderation"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Comments and articles"

articles_patterns = (
    [
        path("", views.ArticleListView.as_view(), name="list"),
        path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
        path("feed/", feeds.LatestArticlesFeed(), name="feed"),
        path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
        path("category/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
        path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
        path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
        path("author/<str:username>/", views.AuthorView.as_view(), name="author"),
        path("search/", views.SearchView.as_view(), name="search"),
    ],
    "articles",
)

urlpatterns = [
    path("", include(articles_patterns)),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("comments/", include("comments.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]

if (
    settings.MEDIA_SERVE
):  # uploaded images on a developer's machine; nginx serves them in production
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

if settings.BENCH_MINIMAL_VIEW:  # `make bench` only: the framework's floor
    urlpatterns.append(path("_bench/minimal/", health.minimal, name="bench-minimal"))

# Standalone pages (About, Contact) take the top-level addresses nothing above took, as on
# WordPress; fitness.models.RESERVED_PAGE_SLUGS keeps the site's own sections out of their way.
urlpatterns.append(path("<slug:slug>/", views.PageView.as_view(), name="page"))

# Ours, not Django's: they never read the request body again (fitness/errors.py).
handler400 = "fitness.errors.bad_request"
handler403 = "fitness.errors.permission_denied"
handler404 = "fitness.errors.page_not_found"
handler500 = "fitness.errors.server_error"
