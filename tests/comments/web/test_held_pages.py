"""Issue 28: the page a held comment's writer is sent to exists and shows their comment.

The pages list only the threads readers see; a held top-level comment is not one of them, so
it goes on the last page (its writer sees it there, through the pending cookie: in their own
page, `?mine=1`, where the post lands), even when the visible threads fill their pages exactly.
"""

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.services.counts import refresh_article_counts
from comments.threads.reading import threads_per_page
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

AWAITING = "Your comment is awaiting moderation."


def visible_threads(article, count):
    tops = [CommentFactory(article=article, status="approved") for _ in range(count)]
    refresh_article_counts([article.pk])
    return tops


def post_held(client, article, comment_form_data, text, **fields):
    """Post as a first-time commenter (held by the rules); the comment and where it leads."""
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, comment=text, **fields),
    )
    assert response.status_code == 302
    comment = Comment.objects.get(body=text)
    assert comment.status == Comment.Status.PENDING
    return comment, response["Location"]


def followed(client, location):
    response = client.get(location.split("#")[0])
    assert response.status_code == 200, location
    return response.content.decode()


@pytest.mark.parametrize("full_pages", [1, 2])
def test_a_held_comment_after_exactly_full_pages_lands_on_the_last_page_and_shows(
    client, article, comment_form_data, full_pages
):
    visible_threads(article, full_pages * threads_per_page())

    comment, location = post_held(client, article, comment_form_data, "Held after full pages")

    query = f"?page={full_pages}&mine=1" if full_pages > 1 else "?mine=1"
    assert location == f"{article.get_absolute_url()}{query}#comment-{comment.pk}"
    html = followed(client, location)
    assert AWAITING in html and "Held after full pages" in html
    assert f'id="comment-{comment.pk}"' in html


@pytest.mark.parametrize("on", ["first", "last"])
def test_a_held_reply_lands_on_its_threads_page_and_shows(client, article, comment_form_data, on):
    tops = visible_threads(article, 2 * threads_per_page())
    parent = tops[0] if on == "first" else tops[-1]

    reply, location = post_held(
        client, article, comment_form_data, "Held reply", parent=str(parent.pk)
    )

    query = "?page=2&mine=1" if on == "last" else "?mine=1"
    assert location == f"{article.get_absolute_url()}{query}#comment-{reply.pk}"
    html = followed(client, location)
    assert AWAITING in html and "Held reply" in html
    assert f'id="comment-{reply.pk}"' in html
