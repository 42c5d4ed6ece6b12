"""Anonymous posts are refused when the browser says another site sent them; logged-in users
keep Django's token (fitness/core/csrf.py, docs/csrf.md)."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def post_url(article):
    return reverse("comments:post", args=[article.pk])


@pytest.fixture
def strict():
    """A browser without test shortcuts: the CSRF middleware runs in full."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": SITE},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_ORIGIN": SITE},  # an older browser: no Fetch Metadata
        {"HTTP_REFERER": f"{SITE}/articles/x/"},
        {},  # not a browser page of another site (curl, a script): nothing to forge
    ],
    ids=["same-origin", "typed", "origin", "referer", "no-headers"],
)
def test_a_post_from_the_sites_own_page_is_accepted_without_a_token(
    strict, article, comment_form_data, headers
):
    response = strict.post(post_url(article), comment_form_data(article), **headers)

    assert response.status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://blog.testserver"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame or a data: page
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
    ids=["cross-site", "same-site", "cross-site-no-origin", "origin", "null", "scheme", "referer"],
)
def test_a_post_sent_from_another_site_is_refused_and_the_text_shown_back(
    strict, article, comment_form_data, headers
):
    data = comment_form_data(article, comment="My long <b>answer</b> about cramps")
    response = strict.post(post_url(article), data, **headers)

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form was not sent" in html
    assert "My long &lt;b&gt;answer&lt;/b&gt; about cramps" in html  # to copy, escaped
    assert response["Cache-Control"] == "private, no-store"
    assert not Comment.objects.exists()


def test_a_trusted_origin_may_post(strict, article, comment_form_data, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.example.org"]
    headers = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://www.example.org"}

    assert strict.post(post_url(article), comment_form_data(article), **headers).status_code == 302


def test_a_logged_in_user_still_needs_the_token(strict, article, comment_form_data, staff_user):
    strict.force_login(staff_user)
    same_origin = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": SITE}

    refused = strict.post(post_url(article), comment_form_data(article), **same_origin)
    assert refused.status_code == 403
    page = strict.get(article.get_absolute_url()).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = {**comment_form_data(article), "csrfmiddlewaretoken": token}
    assert strict.post(post_url(article), data, **same_origin).status_code == 302
    assert Comment.objects.get().user == staff_user


def test_the_anonymous_page_carries_no_token_and_sets_no_cookie(strict, article):
    response = strict.get(article.get_absolute_url())

    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def test_the_admin_login_keeps_its_token(strict, staff_user):
    staff_user.set_password("pw-for-the-test")
    staff_user.save()
    response = strict.post(
        reverse("admin:login"),
        {"username": "staff", "password": "pw-for-the-test"},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 403  # no token: only the comment form goes by the origin


def test_check_deploy_insists_on_the_csrf_middleware(settings):
    from fitness.core.apps import csrf_middleware_is_installed

    assert csrf_middleware_is_installed(None) == []
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "fitness.core.csrf.CsrfViewMiddleware"
    ]
    assert [error.id for error in csrf_middleware_is_installed(None)] == ["fitness.E001"]
