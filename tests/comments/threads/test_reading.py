from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from comments.services.counts import refresh_article_counts
from comments.services.status import approve, mark_spam, remove
from comments.threads import own_rows
from comments.threads import reading as threads
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def approved(article, **kwargs):
    return CommentFactory(article=article, status="approved", **kwargs)


def read_page(article, *args, **kwargs):
    """The page as a request reads it: the article afresh (its `thread_count`)."""
    article.refresh_from_db()
    return threads.read_page(article, *args, **kwargs)


def test_top_level_comments_are_numbered_in_order_and_replies_sit_under_their_parent(article):
    first = approved(article)
    second = approved(article)
    reply = approved(article, parent=first)
    reply_to_reply = approved(article, parent=reply)

    page = read_page(article, 1)

    assert [(r.id, r.depth, r.number) for r in page.rows] == [
        (first.id, 0, 1),
        (reply.id, 1, 0),
        (reply_to_reply.id, 2, 0),
        (second.id, 0, 2),
    ]


def test_each_row_has_its_comments_date_to_the_microsecond_in_utc(article):
    """The rows' dates are read apart from the ORM (on PostgreSQL with psycopg's C loader):
    the same instant as the model's, aware, in UTC, as the page and its JSON-LD write it."""
    comment = approved(article)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=datetime(2021, 3, 4, 5, 6, 7, 891011, tzinfo=ZoneInfo("Europe/Paris"))
    )
    comment.refresh_from_db()

    (row,) = read_page(article, 1).rows

    assert row.created_at == comment.created_at
    assert row.created_at.isoformat() == "2021-03-04T04:06:07.891011+00:00"


def test_pages_hold_whole_threads_and_numbering_continues_across_pages(article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    tops = [approved(article) for _ in range(5)]
    approved(article, parent=tops[2])

    page2 = read_page(article, 2)

    assert page2.num_pages == 3
    assert [r.number for r in page2.rows if r.depth == 0] == [3, 4]
    assert [r.id for r in page2.rows] == [tops[2].id, page2.rows[1].id, tops[3].id]
    assert page2.rows[1].parent_id == tops[2].id


def test_an_invalid_page_number_gives_a_real_page(article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    approved(article)
    approved(article)
    assert read_page(article, "abc").number == 1
    assert read_page(article, 99).number == 2


def test_hidden_comments_never_show_and_a_removed_parent_leaves_a_placeholder(article):
    removed = CommentFactory(article=article, status="approved")
    reply = approved(article, parent=removed)
    Comment.objects.filter(pk=removed.pk).update(status="removed")
    CommentFactory(article=article, status="pending")
    CommentFactory(article=article, status="spam")
    lonely_removed = CommentFactory(article=article, status="removed")

    rows = read_page(article, 1).rows

    assert [r.id for r in rows] == [removed.id, reply.id]
    placeholder = rows[0]
    assert placeholder.placeholder and placeholder.number == 1
    assert placeholder.author_name == "" and placeholder.body_html == ""
    assert lonely_removed.id not in [r.id for r in rows]


def test_a_removed_reply_with_approved_replies_keeps_its_place(article):
    top = approved(article)
    middle = approved(article, parent=top)
    leaf = approved(article, parent=middle)
    Comment.objects.filter(pk=middle.pk).update(status="removed")

    rows = read_page(article, 1).rows

    assert [(r.id, r.placeholder) for r in rows] == [
        (top.id, False),
        (middle.id, True),
        (leaf.id, False),
    ]


def test_page_of_finds_the_page_of_a_reply(article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    tops = [approved(article) for _ in range(5)]
    reply = approved(article, parent=tops[4])
    assert threads.page_of(reply) == 3
    assert threads.page_of(tops[1]) == 1


def make_discussion(article, n):
    tops = [approved(article) for _ in range(n * 7 // 10)]
    for index in range(n - len(tops)):
        approved(article, parent=tops[index % len(tops)])
    refresh_article_counts([article.pk])


@pytest.mark.parametrize("n", [10, 300])
def test_the_article_page_needs_the_same_number_of_queries_whatever_the_discussion_size(
    client, article, n, settings
):
    settings.COMMENTS_THREAD_CACHE_SECONDS = 0  # measure the thread itself, not the cache
    make_discussion(article, n)
    url = article.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert f"{n} Comments" in response.content.decode()
    # article (its categories and tags kept with its version, its thread count) + the
    # comments of the page's threads (their ids a subquery): the threads are not counted
    assert len(queries) == 2, [q["sql"] for q in queries]
    assert not any("COUNT(" in q["sql"].upper() for q in queries)


def shown_ids(article):
    return [(row.id, row.placeholder) for row in read_page(article, 1).rows]


def test_moderation_keeps_which_threads_readers_see(article):
    held = CommentFactory(article=article, status="pending")
    top = approved(article)
    reply = approved(article, parent=top)
    assert shown_ids(article) == [(top.id, False), (reply.id, False)]

    approve(held, actor_label="test")
    assert shown_ids(article) == [(held.id, False), (top.id, False), (reply.id, False)]

    # Spam at the top of a thread with an approved reply: a placeholder keeps the reply's place.
    mark_spam(top, actor_label="test", report=False)
    assert shown_ids(article) == [(held.id, False), (top.id, True), (reply.id, False)]

    # Once the reply goes too, nothing of that thread is left to show.
    remove(reply, actor_label="test")
    assert shown_ids(article) == [(held.id, False)]

    approve(reply, actor_label="test")
    assert shown_ids(article) == [(held.id, False), (top.id, True), (reply.id, False)]


def test_deleting_the_last_approved_reply_hides_a_removed_thread(admin_client, article):
    top = approved(article)
    reply = approved(article, parent=top)
    remove(top, actor_label="test")
    assert shown_ids(article) == [(top.id, True), (reply.id, False)]

    response = admin_client.post(
        f"/admin/comments/comment/{reply.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert shown_ids(article) == []


def test_a_page_of_threads_does_not_read_every_held_comment(article, settings):
    """Spam and pending mail pile up for weeks; a page reads only the threads it shows."""
    settings.COMMENTS_THREADS_PER_PAGE = 2
    for _ in range(30):
        CommentFactory(article=article, status="spam")
    tops = [approved(article) for _ in range(3)]

    with CaptureQueriesContext(connection) as queries:
        page = read_page(article, 2)

    assert [row.id for row in page.rows] == [tops[2].id]
    assert page.num_pages == 2
    # The hidden comments are not even looked at: the count and the page read shown threads.
    assert not any("EXISTS" in q["sql"].upper() for q in queries), queries


def test_a_held_comment_shows_on_the_one_page_page_of_names(article, settings):
    """page_of (where a writer is sent) and reader_pending_rows (what a page shows them) follow
    one rule: a comment goes with its thread on the page listing it; an unlisted thread on the
    last page. Issue 28: a writer was sent to a page that did not show their comment."""
    settings.COMMENTS_THREADS_PER_PAGE = 2
    held_first = CommentFactory(article=article, status="pending")  # older than every thread
    edited = approved(article)  # its writer's edit held it: a placeholder keeps its replies
    approved(article, parent=edited)
    Comment.objects.filter(pk=edited.pk).update(status="pending")
    threads.refresh_visibility(thread_ids=[edited.pk])
    tops = [approved(article) for _ in range(3)]
    held = [
        held_first,
        edited,
        CommentFactory(article=article, status="pending", parent=tops[0]),
        CommentFactory(article=article, status="pending", parent=tops[2]),
        CommentFactory(article=article, status="pending"),  # the newest
    ]
    ids = [comment.pk for comment in held]
    pages = [read_page(article, number) for number in (1, 2)]
    assert [page.num_pages for page in pages] == [2, 2]

    for comment in held:
        comment.refresh_from_db()
        showing = [
            page.number
            for page in pages
            if comment.pk in {row.id for row in own_rows.reader_pending_rows(article, ids, page)}
        ]
        assert showing == [threads.page_of(comment)], comment


def test_a_new_held_comment_is_sent_to_the_last_page_without_a_query(article, settings):
    """The article counts its listed threads: a top-level comment whose row says it is not
    listed (a first comment, held) goes to the last page, and finding it asks nothing."""
    settings.COMMENTS_THREADS_PER_PAGE = 2
    for _ in range(5):
        approved(article)
    held = CommentFactory(article=article, status="pending")
    held = Comment.objects.select_related("article").get(pk=held.pk)

    with CaptureQueriesContext(connection) as queries:
        page = threads.page_of(held)

    assert page == 3 and len(queries) == 0
    assert held.pk in {
        row.id for row in own_rows.reader_pending_rows(article, [held.pk], read_page(article, 3))
    }
