"""An article's `thread_count`: how many threads its pages list, kept with its comment count
(comments.services.counts), so that a page of threads is found without counting them. It must
follow every way a thread comes into or leaves view, or the last pages would be lost."""

import importlib

import pytest
from django.apps import apps

from comments.models import Comment
from comments.services.counts import refresh_article_counts
from comments.services.status import approve, mark_spam, remove, restore
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def listed(article):
    """(kept, counted): the article's thread_count, and the listed threads counted."""
    article.refresh_from_db()
    counted = Comment.objects.filter(article=article, depth=0, thread_visible=True).count()
    return article.thread_count, counted


def test_the_count_follows_each_thread_into_and_out_of_view(article):
    first = CommentFactory(article=article, status="approved")
    held = CommentFactory(article=article, status="pending")
    assert listed(article) == (1, 1)

    approve(held)
    assert listed(article) == (2, 2)
    remove(first)  # no replies: its thread leaves the pages
    assert listed(article) == (1, 1)
    restore(first)  # back to the queue: still not shown
    assert listed(article) == (1, 1)
    approve(first)
    assert listed(article) == (2, 2)

    reply = CommentFactory(article=article, status="approved", parent=held)
    mark_spam(held)  # its approved reply keeps the thread, behind a placeholder
    assert listed(article) == (2, 2)
    remove(reply)  # now nothing in it is shown
    assert listed(article) == (1, 1)

    late = CommentFactory(article=article, status="pending")
    CommentFactory(article=article, status="approved", parent=late)  # a reply shows its thread
    assert listed(article) == (2, 2)


def test_a_recount_and_the_migration_agree_with_the_threads_listed(article):
    tops = [CommentFactory(article=article, status="approved") for _ in range(3)]
    CommentFactory(article=article, status="approved", parent=tops[0])
    CommentFactory(article=article, status="spam")
    type(article).objects.filter(pk=article.pk).update(thread_count=0)  # as before migrating

    migration = importlib.import_module("comments.migrations.0011_article_thread_counts")
    migration.count_listed_threads(apps, None)
    assert listed(article) == (3, 3)

    Comment.objects.filter(pk=tops[1].pk).delete()  # then recounted, as every deletion is
    refresh_article_counts([article.pk])
    assert listed(article) == (2, 2)


def test_the_last_page_of_threads_is_reached_from_the_article_page(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    settings.COMMENTS_THREAD_CACHE_SECONDS = 0
    for _ in range(4):
        CommentFactory(article=article, status="approved")
    held = CommentFactory(article=article, status="pending")
    approve(held)  # the fifth thread, on a third page

    page = client.get(article.get_absolute_url() + "?page=3")

    assert f'id="comment-{held.pk}"' in page.content.decode()
    assert client.get(article.get_absolute_url() + "?page=4").status_code == 404
