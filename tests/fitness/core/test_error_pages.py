"""Error pages: a clear page with the security headers, whatever went wrong (issue 15)."""

import pytest
from django.test import Client
from django.urls import path

from fitness import urls as fitness_urls

pytestmark = pytest.mark.django_db

TOKEN = "a" * 32


@pytest.fixture
def production(settings):
    """Security headers are left off error pages only under DEBUG (for Django's debug pages)."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["testserver"]
    return settings


def assert_security_headers(response):
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Permissions-Policy"].startswith("accelerometer=()")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def post_with_charset(url, charset):
    """A form sent as a browser never would: a charset other than UTF-8, with a valid CSRF
    cookie, token and Origin, so the CSRF check reads the body (as it does in production)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = TOKEN
    body = f"comment=Caf%E9&name=Ada&csrfmiddlewaretoken={TOKEN}".encode()
    return client.generic(
        "POST",
        url,
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
        HTTP_ORIGIN="http://testserver",
    )


@pytest.mark.parametrize("charset", ["latin1", "utf-16", "utf-7"])
@pytest.mark.parametrize("where", ["comment", "admin login"])
def test_a_form_in_another_charset_gets_a_400_page_with_the_security_headers(
    production, article, charset, where
):
    url = f"/comments/post/{article.pk}/" if where == "comment" else "/admin/login/"

    response = post_with_charset(url, charset)

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()
    assert_security_headers(response)


def test_a_missing_page_carries_the_security_headers(production):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert_security_headers(response)


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken_view), *fitness_urls.urlpatterns]
handler500 = fitness_urls.handler500


def test_a_server_error_page_carries_the_security_headers(production):
    production.ROOT_URLCONF = __name__

    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert_security_headers(response)
