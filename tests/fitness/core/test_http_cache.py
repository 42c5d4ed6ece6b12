"""Any HTTP cache may share an anonymous page, and none keeps a personal one
(fitness/core/http_cache.py, docs/caching.md)."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.readers.cookies import AUTHOR_COOKIE, PENDING_COOKIE
from comments.services.counts import refresh_article_counts
from fitness.core.http_cache import shared_cache_control
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

SHARED = "public, max-age=0, s-maxage=1, stale-while-revalidate=1"


def without_timestamp(html):
    return re.sub(r'name="timestamp" value="[^"]*"', "", html)


@pytest.mark.parametrize("name", ["articles:list", "articles:feed", "privacy", "detail"])
def test_anonymous_pages_are_shareable_with_an_etag(client, article, name):
    url = article.get_absolute_url() if name == "detail" else reverse(name)
    response = client.get(url)

    assert response["Cache-Control"] == SHARED
    assert response["ETag"] and response["Last-Modified"]
    assert not response.cookies
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["Cache-Control"] == SHARED


def test_two_anonymous_readers_get_the_same_bytes(article):
    CommentFactory(article=article, status="approved", body="Shared words")
    refresh_article_counts([article.pk])
    url = article.get_absolute_url()
    first, second = Client().get(url), Client().get(url)

    # The same bytes within a second; in any case the same but for the form's shared timestamp.
    assert without_timestamp(first.content.decode()) == without_timestamp(second.content.decode())
    assert first["ETag"] == second["ETag"]


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_reader_with_a_personal_cookie_gets_a_private_page(client, article, cookie):
    client.cookies[cookie] = "x"
    response = client.get(article.get_absolute_url())

    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("cookie", [AUTHOR_COOKIE, PENDING_COOKIE, "comments_editable"])
def test_the_comments_cookies_leave_the_page_shared(client, article, cookie):
    client.cookies[cookie] = "x"
    response = client.get(article.get_absolute_url())

    assert response["Cache-Control"] == shared_cache_control()


def test_a_reader_who_asks_for_their_own_page_gets_a_private_one(client, article):
    shared = client.get(article.get_absolute_url())
    own = client.get(article.get_absolute_url() + "?mine=1")

    assert own["Cache-Control"] == "private, no-store"
    assert own.get("ETag") != shared["ETag"]


def test_a_logged_in_user_gets_private_pages(client, article, staff_user):
    client.force_login(staff_user)
    for url in (article.get_absolute_url(), reverse("articles:list")):
        assert client.get(url)["Cache-Control"] == "private, no-store"


def test_a_response_that_sets_a_cookie_is_never_shared(client, article, comment_form_data):
    response = client.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(article, remember="on")
    )
    assert response.cookies
    assert "public" not in response.get("Cache-Control", "")


def test_the_etag_changes_with_an_approval_and_with_the_article(client, article):
    url = article.get_absolute_url()
    before = client.get(url)["ETag"]
    comment = CommentFactory(article=article, status="pending")
    assert client.get(url)["ETag"] == before  # nothing readers see changed

    from comments.services.status import approve

    approve(comment, by=None)
    after = client.get(url)
    assert after["ETag"] != before
    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200
    article.title = "A new title"
    article.save()
    assert client.get(url)["ETag"] != after["ETag"]


def test_a_304_renders_nothing(client, article, django_assert_max_num_queries):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(1):  # the article's row, nothing of the discussion
        started = time.perf_counter()
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        elapsed = time.perf_counter() - started
    assert response.status_code == 304 and not response.content
    assert elapsed < 0.05  # a render takes longer; bench/README.md has the figure


def test_if_modified_since_alone_never_gets_a_stale_304(client, article):
    url = article.get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    CommentFactory(article=article, status="approved", body="Brand new")
    refresh_article_counts([article.pk])

    response = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200 and "Brand new" in response.content.decode()


def test_healthz_and_the_admin_are_not_shared(client):
    assert "public" not in client.get("/healthz")["Cache-Control"]
    assert "public" not in client.get(reverse("admin:login"))["Cache-Control"]


# --- The embedded page store (no nginx in front) ----------------------------------------------


def test_the_store_serves_a_page_for_its_seconds_then_renders_again(
    page_cache_on, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    Client().get(url)
    with django_assert_num_queries(0):
        stored = Client().get(url)
    assert stored.status_code == 200 and stored["Cache-Control"] == SHARED

    CommentFactory(article=article, status="approved", body="Approved just now")
    refresh_article_counts([article.pk])
    assert "Approved just now" not in Client().get(url).content.decode()  # within the bound
    time.sleep(1.1)
    assert "Approved just now" in Client().get(url).content.decode()


def test_the_stored_page_answers_a_conditional_request(page_cache_on, article):
    url = article.get_absolute_url()
    etag = Client().get(url)["ETag"]

    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_reader_with_a_held_comment_sees_it_at_once_others_within_the_bound(
    page_cache_on, client, article, comment_form_data
):
    url = article.get_absolute_url()
    Client().get(url)  # stored for anonymous readers
    client.post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, comment="Waiting for review"),
    )
    assert Comment.objects.get().status == "pending"

    # Their own page (where the post led) shows it; the plain address is the stored page.
    assert "Waiting for review" in client.get(url + "?mine=1").content.decode()
    assert "Waiting for review" not in client.get(url).content.decode()
    assert "Waiting for review" not in Client().get(url).content.decode()


def test_the_store_never_keeps_a_personal_page(page_cache_on, article, staff_user):
    staff = Client()
    staff.force_login(staff_user)
    staff.get(article.get_absolute_url())

    assert "Logged in as" not in Client().get(article.get_absolute_url()).content.decode()
