"""The whole-page cache for plain anonymous readers: fast, never stale, never shared tokens."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import moderation
from comments.models import Comment
from tests.factories import CommentFactory

# Real commits: the cache is told of a change only once its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAMP = re.compile(r'name="timestamp" value="([^"]+)"')


@pytest.fixture
def discussed_article(article):
    CommentFactory.create_batch(3, article=article, status="approved")
    moderation.refresh_article_counts([article.pk])
    article.refresh_from_db()
    return article


def test_a_cached_page_is_served_without_touching_the_database(page_cache_on, discussed_article):
    url = discussed_article.get_absolute_url()
    Client().get(url)  # renders and stores

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)

    assert response.status_code == 200
    assert "3 Comments" in response.content.decode()
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_each_reader_gets_fresh_tokens_and_can_post_from_a_cached_page(
    page_cache_on, discussed_article, comment_form_data
):
    url = discussed_article.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get(url).content.decode()
    second_html = second.get(url).content.decode()

    assert TOKEN.search(first_html).group(1) != TOKEN.search(second_html).group(1)
    assert STAMP.search(second_html) and "\x00" not in second_html

    data = comment_form_data(discussed_article)
    data["csrfmiddlewaretoken"] = TOKEN.search(second_html).group(1)
    response = second.post(reverse("comments:post", args=[discussed_article.pk]), data)
    assert response.status_code == 302
    assert Comment.objects.filter(body=data["comment"]).exists()


def test_an_approval_is_visible_at_once(page_cache_on, discussed_article):
    url = discussed_article.get_absolute_url()
    held = CommentFactory(article=discussed_article, body="Held until a moderator looks.")
    assert "Held until" not in Client().get(url).content.decode()

    moderation.approve(held)

    page = Client().get(url).content.decode()
    assert "Held until a moderator looks." in page and "4 Comments" in page


def test_a_reader_with_a_remembered_name_is_not_served_the_shared_page(
    page_cache_on, discussed_article
):
    import json

    from django.core.signing import get_cookie_signer

    from comments.cookies import AUTHOR_COOKIE, AUTHOR_COOKIE_SALT

    url = discussed_article.get_absolute_url()
    Client().get(url)
    remembered = Client()
    value = json.dumps({"name": "Gwenivere", "email": "g@example.com", "website": ""})
    signer = get_cookie_signer(salt=AUTHOR_COOKIE + AUTHOR_COOKIE_SALT)
    remembered.cookies[AUTHOR_COOKIE] = signer.sign(value)

    page = remembered.get(url).content.decode()

    assert 'value="Gwenivere"' in page
    assert 'value="Gwenivere"' not in Client().get(url).content.decode()


def test_an_article_edit_is_visible_at_once(page_cache_on, discussed_article):
    url = discussed_article.get_absolute_url()
    assert "Warm up first." in Client().get(url).content.decode()

    discussed_article.body = "Cool down slowly."
    discussed_article.save()

    page = Client().get(url).content.decode()
    assert "Cool down slowly." in page and "Warm up first." not in page


def test_an_unpublished_or_renamed_article_is_not_served_from_the_cache(
    page_cache_on, discussed_article
):
    url = discussed_article.get_absolute_url()
    assert Client().get(url).status_code == 200

    discussed_article.slug = "a-new-name"
    discussed_article.save()
    assert Client().get(url).status_code == 404
    assert Client().get("/articles/a-new-name/").status_code == 200

    discussed_article.status = discussed_article.Status.DRAFT
    discussed_article.save()
    assert Client().get("/articles/a-new-name/").status_code == 404


def test_a_page_stored_while_its_article_changed_is_never_served(
    page_cache_on, discussed_article, monkeypatch
):
    """The generation is read before the database: a change that commits in between wins."""
    from fitness import page_cache

    url = discussed_article.get_absolute_url()
    held = CommentFactory(article=discussed_article, body="Approved while the page rendered.")
    real_render_and_store = page_cache.render_and_store

    def approve_during_render(request, article, render):
        def render_then_approve():
            response = render()
            response.render()
            moderation.approve(held)  # commits after this request read the old thread
            return response

        return real_render_and_store(request, article, render_then_approve)

    monkeypatch.setattr(page_cache, "render_and_store", approve_during_render)
    assert "Approved while" not in Client().get(url).content.decode()
    monkeypatch.undo()

    assert "Approved while the page rendered." in Client().get(url).content.decode()


def test_comments_that_close_by_age_are_not_kept_open_by_the_cache(
    page_cache_on, discussed_article, settings
):
    from datetime import timedelta

    from django.utils import timezone

    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    discussed_article.publish_at = timezone.now() - timedelta(days=1) + timedelta(seconds=2)
    discussed_article.save()
    url = discussed_article.get_absolute_url()
    assert 'id="commentform"' in Client().get(url).content.decode()

    import time

    time.sleep(2.1)

    page = Client().get(url).content.decode()
    assert "Comments are closed." in page and 'id="commentform"' not in page


def test_deploy_check_warns_about_a_page_cache_in_one_process_memory(settings):
    from fitness.apps import page_cache_needs_a_shared_cache

    settings.DEBUG = False
    settings.PAGE_CACHE_SECONDS = 60
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in page_cache_needs_a_shared_cache(None)] == ["fitness.W001"]

    settings.PAGE_CACHE_SECONDS = 0
    assert page_cache_needs_a_shared_cache(None) == []
