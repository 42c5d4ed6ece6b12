"""The project's own pages: the ones that speak for the whole site, and so name both apps'
addresses (robots.txt) or show both apps' facts (the privacy page); and the uploads, where
Django serves them (MEDIA_SERVE)."""

import errno

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django.views.static import serve


class PrivacyView(TemplateView):
    # What it says about comments comes from the comments app's {% privacy_facts %} tag; about
    # accounts, from the settings fitness/accounts/ reads.
    template_name = "fitness/privacy.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "reset_window_minutes": settings.ACCOUNTS_RESET_WINDOW_MINUTES,
        }


def _pattern(name, **kwargs):
    """A URL's path with its number as `*` (robots.txt's wildcard): /comments/*/edit/."""
    return reverse(name, kwargs=kwargs).replace("/0/", "/*/")


@require_GET
def robots_txt(request):
    """Everything may be crawled but the admin and the addresses comments are sent to,
    changed, deleted and brought back at, reported at, and the links of reply emails."""
    disallowed = [
        reverse("admin:index"),
        _pattern("comments:post", article_id=0),
        _pattern("comments:edit", pk=0),
        _pattern("comments:delete", pk=0),
        _pattern("comments:restore", pk=0),
        _pattern("comments:report", pk=0),
        reverse("comments:stop_replies", kwargs={"token": "x"}).rsplit("/stop/", 1)[0] + "/",
    ]
    lines = [
        "User-agent: *",
        "Allow: /",
        *(f"Disallow: {path}" for path in disallowed),
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def media(request, path):
    """An uploaded file, on a developer's machine and in the tests (nginx serves them in
    production). Django's `serve` lets the system's refusal of a name longer than a file's name
    may be (ENAMETOOLONG) out as a 500: no such file exists, so it is a 404."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404("No such file.") from error
