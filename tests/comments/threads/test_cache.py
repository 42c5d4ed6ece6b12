"""The cached comment thread: fast for everybody, never stale for anybody."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from comments.services.counts import refresh_article_counts
from comments.services.status import approve, mark_spam, remove
from comments.threads import cache as thread_cache
from comments.threads.rendering import AWAITING_TEXT
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def discussion(article):
    """An article with two approved threads, one with a reply."""
    first = CommentFactory(article=article, status="approved", body="Stretching helps me.")
    CommentFactory(article=article, status="approved", parent=first, body="Me too.")
    CommentFactory(article=article, status="approved", body="Magnesium, maybe?")
    refresh_article_counts([article.pk])
    article.refresh_from_db()
    return article


def read(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_cached_page_is_read_without_writing_and_with_few_queries(client, discussion):
    read(client, discussion)  # fills the cache

    with CaptureQueriesContext(connection) as queries:
        html = read(client, discussion)

    statements = [query["sql"].lstrip().upper() for query in queries.captured_queries]
    assert not [sql for sql in statements if sql.startswith(WRITES)], statements
    # The article, its categories and its tags (one query each); nothing for the comments.
    assert len(statements) <= 4, statements
    assert not [sql for sql in statements if "COMMENTS_COMMENT" in sql], statements
    assert "Stretching helps me." in html and "Me too." in html


def test_an_approved_comment_shows_at_once(client, discussion):
    held = CommentFactory(article=discussion, status="pending", body="Held, then approved.")
    assert "Held, then approved." not in read(client, discussion)

    approve(held)

    html = read(client, discussion)
    assert "Held, then approved." in html
    assert "4 Comments" in html


@pytest.mark.parametrize(
    "operation",
    [remove, lambda comment: mark_spam(comment, report=False)],
    ids=["removed", "spam"],
)
def test_a_removed_or_spammed_comment_goes_at_once(client, discussion, operation):
    magnesium = Comment.objects.get(body="Magnesium, maybe?")
    assert "Magnesium, maybe?" in read(client, discussion)

    operation(magnesium)

    assert "Magnesium, maybe?" not in read(client, discussion)


def test_closing_comments_changes_the_cached_thread(client, discussion):
    assert "comment-reply-link" in read(client, discussion)

    discussion.comments_open = False
    discussion.save()

    html = read(client, discussion)
    assert "comment-reply-link" not in html
    assert "Comments are closed." in html


def test_the_reader_still_sees_their_own_held_comment(client, discussion, comment_form_data):
    read(Client(), discussion)  # somebody else has filled the cache

    response = client.post(
        f"/comments/post/{discussion.pk}/",
        comment_form_data(discussion, comment="My first comment here, please approve."),
        follow=True,
    )

    html = response.content.decode()
    assert Comment.objects.get(body__startswith="My first comment").status == "pending"
    assert "My first comment here, please approve." in html
    assert AWAITING_TEXT in html
    # ... and nobody else does.
    assert "My first comment here" not in read(Client(), discussion)


def test_pages_of_threads_are_cached_separately(client, discussion, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1

    first, second = read(client, discussion), read(client, discussion, "?page=2")

    assert "Stretching helps me." in first and "Magnesium, maybe?" not in first
    assert "Magnesium, maybe?" in second and "Stretching helps me." not in second


def test_odd_page_numbers_render_but_are_not_stored(discussion):
    rendered = []

    def render(article, raw_page, **options):
        rendered.append(raw_page)
        return thread_cache_fragment(number=1)

    for raw in ("abc", "-1", "99999999999", "１"):
        thread_cache.cached_fragment(discussion, raw, max_depth=5, is_open=True, render=render)
        thread_cache.cached_fragment(discussion, raw, max_depth=5, is_open=True, render=render)

    assert len(rendered) == 8  # rendered every time, never served from the cache


def thread_cache_fragment(number):
    from comments.templatetags.comment_tags import ThreadFragment

    return ThreadFragment(html="<h2>x</h2>", number=number)


def test_the_page_still_renders_when_the_cache_is_down(client, discussion):
    broken = {
        "default": {
            "BACKEND": "fitness.core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=broken):
        html = read(client, discussion)

    assert "Stretching helps me." in html


def test_the_key_names_article_version_edit_page_order_depth_and_openness(discussion):
    key = thread_cache.cache_key(discussion, 2, max_depth=5, is_open=False)

    assert key.startswith(f"{thread_cache.PREFIX}:s{thread_cache.SCHEMA}:a{discussion.pk}:")
    assert f":v{discussion.comments_version}:" in key
    assert key.endswith(":p2:oldest:d5:o0")
    newest = thread_cache.cache_key(discussion, 2, max_depth=5, is_open=False, order="newest")
    assert newest.endswith(":p2:newest:d5:o0")
