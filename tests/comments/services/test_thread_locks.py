"""Status changes in one thread are served one after the other (comments.services.status.lock
takes the thread's top row): each recomputes the thread's visibility after the others have
committed. Without it, two replies removed at once each saw the other still public, and their
thread stayed listed with nothing in it to show."""

import threading

import pytest
from django.db import connection, connections, transaction

from comments.models import Comment
from comments.services.status import remove
from tests.factories import ArticleFactory, CommentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's: SQLite writes one transaction at a time (CI runs it)",
    ),
]


def in_a_transaction_held_open(work, *, done, release):
    """Run `work` in a transaction of another connection that stays open until `release`."""
    try:
        with transaction.atomic():
            work()
            done.set()
            release.wait(timeout=10)
    finally:
        connections.close_all()


def listed(thread):
    thread.refresh_from_db()
    thread.article.refresh_from_db()
    return thread.thread_visible, thread.article.thread_count


def at_once(first, second):
    """`first` in a transaction held open while `second` starts in another; then both end.
    Whether `second` had to wait for `first` to commit."""
    done, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=in_a_transaction_held_open, args=(first,), kwargs={"done": done, "release": release}
    )
    holder.start()
    assert done.wait(timeout=10)
    other = threading.Thread(target=lambda: (second(), connections.close_all()))
    other.start()
    other.join(timeout=0.5)
    waited = other.is_alive()
    release.set()
    holder.join(timeout=10)
    other.join(timeout=10)
    return waited


def test_two_replies_removed_at_once_take_their_held_thread_off_the_pages():
    article = ArticleFactory()
    top = CommentFactory(article=article, status="pending")
    first, second = (
        CommentFactory(article=article, status="approved", parent=top) for _ in range(2)
    )
    assert listed(top) == (True, 1)

    assert at_once(lambda: remove(first), lambda: remove(second))

    assert Comment.objects.filter(pk__in=[first.pk, second.pk], status="removed").count() == 2
    assert listed(top) == (False, 0)


def test_a_reply_published_while_the_last_one_is_removed_keeps_its_thread_listed():
    article = ArticleFactory()
    top = CommentFactory(article=article, status="pending")
    shown = CommentFactory(article=article, status="approved", parent=top)

    published = []
    at_once(
        lambda: remove(shown),
        lambda: published.append(
            CommentFactory(article=article, status="approved", parent=top, author_name="Ann")
        ),
    )

    assert published and published[0].status == "approved"
    assert listed(top) == (True, 1)
