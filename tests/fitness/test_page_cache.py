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

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAMP = re.compile(r'name="timestamp" value="([^"]+)"')


@pytest.fixture
def discussed_article(article):
    CommentFactory.create_batch(3, article=article, status="approved")
    moderation.refresh_article_counts([article.pk])
    article.refresh_from_db()
    return article


def test_a_cached_page_is_served_with_one_query_and_no_writes(page_cache_on, discussed_article):
    url = discussed_article.get_absolute_url()
    Client().get(url)  # renders and stores

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)

    assert response.status_code == 200
    assert "3 Comments" in response.content.decode()
    assert len(queries) == 1  # the article (its version is part of the key)
    assert not any(q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"} for q in queries)


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

    from comments.templatetags.comment_tags import AUTHOR_COOKIE, AUTHOR_COOKIE_SALT

    url = discussed_article.get_absolute_url()
    Client().get(url)
    remembered = Client()
    value = json.dumps({"name": "Gwenivere", "email": "g@example.com", "website": ""})
    signer = get_cookie_signer(salt=AUTHOR_COOKIE + AUTHOR_COOKIE_SALT)
    remembered.cookies[AUTHOR_COOKIE] = signer.sign(value)

    page = remembered.get(url).content.decode()

    assert 'value="Gwenivere"' in page
    assert 'value="Gwenivere"' not in Client().get(url).content.decode()
