"""Issue 29: a writer with the script lands on the page everyone shares, not on `?mine=1`.

The script says so in the form (views.LANDING_FIELD); the page it lands on may be a copy made
before the post, so the private request (`comments:mine`) also brings the writer's own
just-published comments, written as the list of threads writes them, for the script to insert.
Without the script the post lands on the reader's own page, as before. Either way the writer
comes back to the order they were reading.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from comments.readers.cookies import AUTHOR_COOKIE, EDITABLE_COOKIE, HINT_COOKIE
from comments.services.counts import refresh_article_counts
from comments.web.views import LANDING_FIELD, SHARED_LANDING
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

SCRIPT = {LANDING_FIELD: SHARED_LANDING}


@pytest.fixture(autouse=True)
def _published_at_once(settings):
    """A post is published when it passes the checks (no first-time hold), as often as needed."""
    settings.COMMENTS_HOLD_FIRST_TIME = False
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def send(article, comment_form_data):
    """send(client, text, action="", **fields): the comment form posted; (response, comment)."""

    def post(client, text, action="", **fields):
        data = comment_form_data(article, comment=text, **fields)
        response = client.post(reverse("comments:post", args=[article.pk]) + action, data)
        assert response.status_code == 302, response.content[:500]
        return response, Comment.objects.get(body=text)

    return post


def mine(client, article, query=""):
    return client.get(reverse("comments:mine", args=[article.pk]) + query).json()


def test_a_post_from_the_script_lands_on_the_shared_page_at_its_comment(article, send):
    writer = Client()
    response, comment = send(writer, "Landed on the shared page", remember="on", **SCRIPT)

    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    for name in (EDITABLE_COOKIE, AUTHOR_COOKIE, HINT_COOKIE):
        assert name in response.cookies  # what the script asks `mine` with
    landing = writer.get(response["Location"].split("#")[0])
    assert landing["Cache-Control"].startswith("public")  # the page a cache may serve


def test_without_the_script_the_post_still_lands_on_their_own_page(article, send):
    response, comment = send(Client(), "Landed on my own page")

    assert response["Location"] == f"{article.get_absolute_url()}?mine=1#comment-{comment.pk}"


def test_the_private_request_brings_their_published_comment_as_the_thread_writes_it(article, send):
    writer = Client()
    _, comment = send(writer, "Mine, published a moment ago", **SCRIPT)

    published = mine(writer, article)["published"]
    page = Client().get(article.get_absolute_url()).content.decode()

    assert [(p["id"], p["parent"], p["after"]) for p in published] == [(comment.pk, None, None)]
    assert published[0]["html"].startswith(f'<li id="comment-{comment.pk}"')
    assert published[0]["html"] in page  # byte for byte the row the page has
    assert mine(writer, article)["heading"] == "1 Comment"  # for a copy that predates it
    assert mine(Client(), article) == {}


def test_a_reply_comes_with_its_parent_and_the_thread_markup(article, send):
    top = CommentFactory(article=article, status="approved")
    refresh_article_counts([article.pk])
    writer = Client()
    _, reply = send(writer, "A reply of mine", parent=str(top.pk), **SCRIPT)

    (published,) = mine(writer, article)["published"]
    page = Client().get(article.get_absolute_url()).content.decode()

    assert (published["id"], published["parent"]) == (reply.pk, top.pk)
    assert published["html"] in page


def test_nobody_else_gets_it(article, send):
    writer, other = Client(), Client()
    _, theirs = send(writer, "The writer's", **SCRIPT)
    _, others = send(other, "Someone else's", **SCRIPT)

    assert [p["id"] for p in mine(other, article)["published"]] == [others.pk]
    assert [p["id"] for p in mine(writer, article)["published"]] == [theirs.pk]
    assert Client().get(reverse("comments:mine", args=[article.pk])).json() == {}


def test_a_held_comment_comes_as_pending_not_as_published(article, send, settings):
    settings.COMMENTS_HOLD_FIRST_TIME = True
    writer = Client()
    _, held = send(writer, "Held for a moderator", **SCRIPT)

    pieces = mine(writer, article)

    assert held.status == Comment.Status.PENDING
    assert pieces["published"] == []
    assert f'id="comment-{held.pk}"' in pieces["pending"]


def test_it_comes_only_for_the_page_that_lists_it_after_the_thread_before_it(
    article, send, settings
):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    older = [CommentFactory(article=article, status="approved") for _ in range(3)]
    refresh_article_counts([article.pk])
    writer = Client()
    response, _ = send(writer, "The fourth thread", **SCRIPT)

    assert "page=2" in response["Location"]
    assert mine(writer, article, "?page=1")["published"] == []
    (published,) = mine(writer, article, "?page=2")["published"]
    assert published["after"] == older[2].pk
    # Newest first, it is the first thread of page 1, and numbered as that page numbers it.
    (newest,) = mine(writer, article, "?sort=newest")["published"]
    assert newest["after"] is None and '<span class="comment-number">4.</span>' in newest["html"]


def test_a_comment_moved_to_the_next_page_by_an_approval_comes_with_the_way_there(
    article, send, settings
):
    """Page 2 (two threads a page) holds the writer's thread, the fourth; then a moderator
    approves an older held comment, and their thread moves on to page 3: the page they land
    on lacks it, and `mine` says where it is now (its permalink finds the page), in the order
    read."""
    settings.COMMENTS_THREADS_PER_PAGE = 2
    first = CommentFactory(article=article, status="approved")
    held = CommentFactory(article=article, status="pending", created_at=first.created_at)
    CommentFactory.create_batch(2, article=article, status="approved")
    refresh_article_counts([article.pk])
    writer = Client()
    response, comment = send(writer, "The fourth thread, until an approval", **SCRIPT)
    assert "page=2" in response["Location"]
    held.status = Comment.Status.APPROVED
    held.save()
    refresh_article_counts([article.pk])

    landed = mine(writer, article, "?page=2")
    assert landed["published"] == []
    permalink = reverse("comments:permalink", args=[comment.pk])
    assert landed["elsewhere"] == {str(comment.pk): permalink}
    found = writer.get(permalink)
    assert "page=3" in found["Location"] and found["Location"].endswith(comment.anchor)
    assert mine(writer, article, "?page=3")["elsewhere"] == {}
    assert mine(writer, article, "?sort=newest&page=2")["elsewhere"] == {
        str(comment.pk): f"{permalink}?sort=newest"
    }


def test_the_private_request_takes_the_same_queries_however_many_published(article, send):
    def writer_with(count):
        writer = Client()
        for number in range(count):
            send(writer, f"Published {count}-{number}", remember="on", **SCRIPT)
        mine(writer, article)  # the Site settings row, warm
        with CaptureQueriesContext(connection) as queries:
            published = mine(writer, article)["published"]
        assert len(published) == count
        return len(queries.captured_queries)

    assert writer_with(1) == writer_with(3)


@pytest.mark.parametrize("fields", [SCRIPT, {}], ids=["script", "no script"])
def test_posting_from_a_sorted_page_comes_back_to_that_order(article, send, fields):
    CommentFactory(article=article, status="approved")
    refresh_article_counts([article.pk])
    page = Client().get(article.get_absolute_url() + "?sort=newest").content.decode()
    action = re.search(r'<form action="([^"]*)" method="post" id="commentform"', page).group(1)
    assert action.endswith("?sort=newest")

    response, comment = send(Client(), "Read newest first", action="?sort=newest", **fields)

    assert "sort=newest" in response["Location"]
    assert response["Location"].endswith(f"#comment-{comment.pk}")


def test_an_unknown_order_comes_back_to_the_default(article, send):
    response, comment = send(Client(), "Sorted by nonsense", action="?sort=bogus", **SCRIPT)

    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
