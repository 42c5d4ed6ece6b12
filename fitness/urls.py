"""The one place that knows every app: the articles at the root, the comments under
/comments/, the WordPress links under /comments/wordpress/, the admin and the project's own
pages."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.functional import lazy

from fitness import views
from fitness.accounts import views as accounts
from fitness.articles import site_settings
from fitness.articles import views as articles
from fitness.articles.sitemaps import SITEMAPS
from fitness.core import health

# The moderators' tool carries the site's name, not "Django administration" (read on each page:
# a new name in Site settings shows at once).
admin.site.site_header = lazy(lambda: f"{site_settings.get('SITE_NAME')} moderation", str)()
admin.site.site_title = lazy(lambda: f"{site_settings.get('SITE_NAME')} admin", str)()
admin.site.index_title = "Comments and articles"

urlpatterns = [
    path("", include("fitness.articles.urls")),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    # Where the comment WordPress numbered <id> is now: before comments/ (a longer prefix).
    path("comments/wordpress/", include("wordpress.urls")),
    path("comments/", include("comments.urls")),
    # "Forgotten your password?" on the admin's login page links to this name.
    path("admin/password_reset/", accounts.reset, name="admin_password_reset"),
    path("admin/", admin.site.urls),
    path("accounts/", include("fitness.accounts.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]

if (
    settings.MEDIA_SERVE
):  # uploaded images on a developer's machine; nginx serves them in production
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", views.media, name="media"))

if settings.BENCH_MINIMAL_VIEW:  # `make bench` only: the framework's floor
    urlpatterns.append(path("_bench/minimal/", health.minimal, name="bench-minimal"))

# Standalone pages (About, Contact) take the top-level addresses nothing above took, as on
# WordPress; fitness.articles.models.RESERVED_PAGE_SLUGS keeps the site's own sections out of their
# way.
urlpatterns.append(path("<slug:slug>/", articles.PageView.as_view(), name="page"))

# Ours, not Django's: they never read the request body again (fitness/core/errors.py).
handler400 = "fitness.core.errors.bad_request"
handler403 = "fitness.core.errors.permission_denied"
handler404 = "fitness.core.errors.page_not_found"
handler500 = "fitness.core.errors.server_error"
