"""bulk.create_comments_in_bulk places, records and counts as create_comment does."""

import pytest

from comments.models import Comment, CommentEvent
from comments.services.bulk import create_comments_in_bulk
from comments.services.counts import refresh_article_counts
from comments.services.posting import create_comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def shape(comments):
    """What placement decides, without the ids (the two articles' ids differ)."""
    rows = []
    for c in Comment.objects.filter(pk__in=[c.pk for c in comments]).order_by("path"):
        parent_index = [x.pk for x in comments].index(c.parent_id) if c.parent_id else None
        thread_index = [x.pk for x in comments].index(c.thread_id)
        rows.append(
            (
                c.depth,
                parent_index,
                thread_index,
                c.status,
                c.thread_visible,
                c.body_html,
                c.path.count("/"),
            )
        )
    return rows


def build(article):
    top = Comment(article=article, author_name="A", body="first", status="approved")
    hidden = Comment(article=article, author_name="B", body="held", status="pending")
    reply = Comment(article=article, parent=hidden, author_name="C", body="re", status="approved")
    deeper = Comment(article=article, parent=reply, author_name="D", body="re re", status="spam")
    return [top, hidden, reply, deeper]


def test_bulk_and_one_at_a_time_give_the_same_threads_and_counts():
    one, bulk = ArticleFactory(title="One"), ArticleFactory(title="Bulk")
    singles = build(one)
    for comment in singles:
        comment.parent = comment.parent  # saved by now: create_comment takes saved parents
        create_comment(comment, status=comment.status, announce=False)
    many = build(bulk)
    create_comments_in_bulk([(c, [{"to_status": c.status, "note": "bulk"}]) for c in many])
    assert shape(many) == shape(singles)
    one.refresh_from_db()
    bulk.refresh_from_db()
    assert bulk.comment_count == one.comment_count == 2
    assert all(c.path.startswith(c.thread.path) for c in Comment.objects.filter(article=bulk))
    assert CommentEvent.objects.filter(comment__article=bulk, note="bulk").count() == 4
    # and what comes next gets its own id after them
    later = create_comment(Comment(article=bulk, author_name="E", body="later"), status="approved")
    assert later.pk > max(c.pk for c in many)


def test_a_new_thread_is_shown_when_its_comment_or_a_reply_is_approved():
    article = ArticleFactory()
    held = Comment(article=article, author_name="A", body="held", status="pending")
    spam_reply = Comment(article=article, parent=held, author_name="B", body="x", status="spam")
    removed = Comment(article=article, author_name="C", body="gone", status="removed")
    ok_reply = Comment(
        article=article, parent=removed, author_name="D", body="y", status="approved"
    )
    top = Comment(article=article, author_name="E", body="hello", status="approved")
    create_comments_in_bulk([(c, []) for c in (held, spam_reply, removed, ok_reply, top)])
    shown = set(Comment.objects.filter(article=article, thread_visible=True).values_list("pk"))
    assert shown == {(removed.pk,), (top.pk,)}  # a placeholder keeps the approved reply's place


def test_a_reply_to_a_thread_saved_before_shows_that_thread():
    article = ArticleFactory()
    held = create_comment(
        Comment(article=article, author_name="A", body="held"), status="pending", announce=False
    )
    assert not Comment.objects.get(pk=held.pk).thread_visible
    reply = Comment(article=article, parent=held, author_name="B", body="re", status="approved")
    create_comments_in_bulk([(reply, [])])
    assert Comment.objects.get(pk=held.pk).thread_visible
    article.refresh_from_db()
    assert article.comment_count == 1


def test_counts_left_to_the_caller_when_asked():
    article = ArticleFactory()
    top = Comment(article=article, author_name="A", body="hello", status="approved")
    create_comments_in_bulk([(top, [])], refresh_counts=False)
    article.refresh_from_db()
    assert article.comment_count == 0
    refresh_article_counts([article.pk], thread_ids=())
    article.refresh_from_db()
    assert article.comment_count == 1
    assert Comment.objects.get(pk=top.pk).thread_visible
