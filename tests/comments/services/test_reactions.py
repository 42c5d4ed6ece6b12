"""Helpful marks (comments.services.reactions): one per reader per comment, undoable, a
network's share capped, only on published comments; every change moves the discussion's
version, so the cached thread, the page's ETag and the live endpoint follow."""

import pytest

from comments.models import Comment, HelpfulMark
from comments.services import reactions
from fitness.articles.models import Article
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(article):
    return CommentFactory(article=article, status="approved")


def count(comment):
    return Comment.objects.get(pk=comment.pk).helpful_count


def version(article):
    return Article.objects.get(pk=article.pk).comments_version


def test_one_mark_per_reader_per_comment(comment):
    first = reactions.mark_helpful(comment, reader="aaa", ip="192.0.2.1")
    again = reactions.mark_helpful(comment, reader="aaa", ip="192.0.2.1")

    assert first.marked and not again.marked
    assert again.refusal == reactions.ALREADY
    assert count(comment) == 1
    assert HelpfulMark.objects.filter(comment=comment).count() == 1


def test_undo_takes_the_mark_back_and_the_count_down(comment):
    reactions.mark_helpful(comment, reader="aaa", ip="192.0.2.1")
    reactions.mark_helpful(comment, reader="bbb", ip="192.0.2.2")

    assert reactions.unmark_helpful(comment, reader="aaa") is True
    assert reactions.unmark_helpful(comment, reader="aaa") is False  # nothing left to take
    assert count(comment) == 1
    assert reactions.mark_helpful(comment, reader="aaa", ip="192.0.2.1").marked  # again
    assert count(comment) == 2


def test_a_network_gets_a_few_marks_however_many_cookies_it_clears(comment, settings):
    settings.COMMENTS_HELPFUL_PER_NETWORK = 2
    results = [
        reactions.mark_helpful(comment, reader=f"r{n}", ip=f"2001:db8:1::{n + 1}") for n in range(4)
    ]

    assert [r.marked for r in results] == [True, True, False, False]  # one IPv6 /64
    assert results[-1].refusal == reactions.NETWORK_LIMIT
    assert reactions.mark_helpful(comment, reader="elsewhere", ip="2001:db8:2::1").marked
    assert count(comment) == 3


def test_the_network_is_kept_only_as_a_hash(comment):
    reactions.mark_helpful(comment, reader="aaa", ip="198.51.100.7")

    mark = HelpfulMark.objects.get()
    assert "198.51.100" not in mark.network and len(mark.network) == 32


def test_a_held_comment_cannot_be_marked(article):
    held = CommentFactory(article=article, status="pending")

    result = reactions.mark_helpful(held, reader="aaa", ip="192.0.2.1")

    assert not result.marked and result.refusal == reactions.NOT_PUBLIC
    assert count(held) == 0


def test_marks_and_undo_move_the_discussions_version(article, comment):
    start = version(article)
    reactions.mark_helpful(comment, reader="aaa", ip="192.0.2.1")
    assert version(article) == start + 1
    reactions.mark_helpful(comment, reader="aaa", ip="192.0.2.1")  # refused: nothing moves
    assert version(article) == start + 1
    reactions.unmark_helpful(comment, reader="aaa")
    assert version(article) == start + 2
