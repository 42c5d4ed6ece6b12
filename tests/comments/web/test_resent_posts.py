"""
A post sent again after its answer was lost lands on the comment it made (issue 29's chaos run:
a worker killed after the commit; nginx passes the post on, or the reader presses Post again).
"""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.readers.cookies import EDITABLE_COOKIE, PENDING_COOKIE
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def send(client, article, data):
    return client.post(reverse("comments:post", args=[article.pk]), data, follow=False)


def test_the_same_post_twice_lands_on_the_one_comment_it_made(client, article, comment_form_data):
    data = comment_form_data(article)
    first = send(client, article, data)
    lost_answer = Client()  # the first answer never reached this browser: none of its cookies
    again = send(lost_answer, article, data)

    comment = Comment.objects.get()
    assert (first.status_code, again.status_code) == (302, 302)
    assert again["Location"] == first["Location"]
    assert again["Location"].endswith(f"#comment-{comment.pk}")
    landing = lost_answer.get(again["Location"])
    assert "already reached us; it awaits moderation" in landing.content.decode()
    assert comment.body in landing.content.decode()  # their held comment, shown to them


def test_a_published_comment_sent_again_says_here_it_is(client, article, comment_form_data):
    CommentFactory(article=article, author_email="ada@example.com", status="approved")  # returning
    data = comment_form_data(article)
    send(client, article, data)
    lost_answer = Client()
    again = send(lost_answer, article, data)

    assert Comment.objects.filter(body=data["comment"]).get().status == "approved"
    landing = lost_answer.get(again["Location"]).content.decode()
    assert "already reached us; here it is" in landing


def test_sending_again_gives_no_edit_window(client, article, comment_form_data):
    """Whoever sends the same text, email and address again sees the comment (their text), but
    only the answer that made it gives the right to change it."""
    data = comment_form_data(article)
    assert EDITABLE_COOKIE in send(client, article, data).cookies
    again = send(Client(), article, data)

    assert EDITABLE_COOKIE not in again.cookies
    assert PENDING_COOKIE in again.cookies
