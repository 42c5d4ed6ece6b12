"""Issue 16: reply emails are double opt-in. Ticking the box sends one confirmation email;
replies are mailed only once its link is followed; every email carries "stop all"."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ReplyAddress
from comments.notifications import optin
from comments.services.status import approve
from comments.web.forms import sign_timestamp
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

AMY = "amy@example.com"


@pytest.fixture
def send(client, article, settings, django_capture_on_commit_callbacks):
    """Send the form as a reader, running what follows the commit (the emails)."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_HOLD_FIRST_TIME = False

    def post(**fields):
        data = {
            "comment": "Does magnesium help?",
            "name": "Amy",
            "email": AMY,
            "timestamp": sign_timestamp(article.pk),
            "notify_replies": "on",
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("comments:post", args=[article.pk]), data)
        assert response.status_code == 302, response.content.decode()
        return Comment.objects.latest("pk")

    return post


@pytest.fixture
def publish_reply(moderator, django_capture_on_commit_callbacks):
    def publish(parent, body="Sleep helps more."):
        reply = CommentFactory(parent=parent, author_email="stephen@example.com", body=body)
        with django_capture_on_commit_callbacks(execute=True):
            approve(reply, by=moderator)
        return reply

    return publish


def link(message, path):
    [url] = [u for u in re.findall(r"https?://\S+", message.body) if path in u]
    return urlsplit(url).path


def test_ticking_the_box_sends_one_confirmation_and_no_reply_until_confirmed(
    send, publish_reply, mailoutbox
):
    question = send()
    [confirmation] = mailoutbox
    assert confirmation.to == [AMY]
    assert "confirm" in confirmation.subject.lower()
    assert AMY not in link(confirmation, "/replies/confirm/")  # links name a row, not the address
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/replies/stop-all/" in confirmation.extra_headers["List-Unsubscribe"]

    send(comment="A second question.")  # one confirmation, not one per comment
    assert len(mailoutbox) == 1

    publish_reply(question)
    assert len(mailoutbox) == 1  # not confirmed: the reply is not mailed


def test_following_the_link_confirms_then_replies_are_mailed_with_stop_all(
    send, publish_reply, mailoutbox
):
    question = send()
    confirm = link(mailoutbox[0], "/replies/confirm/")
    reader = Client()
    page = reader.get(confirm)  # a mail scanner's GET confirms nothing
    assert page.status_code == 200 and 'id="confirm"' in page.content.decode()
    assert not ReplyAddress.objects.confirmed().exists()
    assert "Thank you" in reader.post(confirm).content.decode()
    assert ReplyAddress.objects.for_email(AMY).confirmed().exists()

    publish_reply(question)
    reply_email = mailoutbox[-1]
    assert len(mailoutbox) == 2 and reply_email.to == [AMY]
    assert "/replies/stop/" in reply_email.body and "/replies/stop-all/" in reply_email.body


def test_stop_all_clears_every_box_and_the_confirmation(send, publish_reply, mailoutbox):
    first = send()
    second = send(comment="Another one.")
    confirm = link(mailoutbox[0], "/replies/confirm/")
    Client().post(confirm)
    stop_all = link(mailoutbox[0], "/replies/stop-all/")
    response = Client(enforce_csrf_checks=True).post(stop_all)  # one-click: no CSRF token
    assert response.status_code == 200
    assert not Comment.objects.filter(notify_replies=True).exists()
    assert not ReplyAddress.objects.confirmed().exists()
    for comment in (first, second):
        assert comment.history.filter(actor_label="stop-all link").exists()
    publish_reply(first)
    assert len(mailoutbox) == 1


def test_a_bad_or_expired_link_is_refused(client, send, mailoutbox, settings):
    send()
    confirm = link(mailoutbox[0], "/replies/confirm/")
    assert client.post(confirm[:-3] + "xyz/").status_code == 404
    assert client.post("/comments/replies/stop-all/1:forged/").status_code == 404
    address = ReplyAddress.objects.get()
    # A token signed for "stop all" does not confirm, and the other way round.
    assert client.post(reverse("comments:confirm_replies", args=[
        optin.stop_all_token(address)
    ])).status_code == 404  # fmt: skip
    assert not ReplyAddress.objects.confirmed().exists()


def test_an_address_already_confirmed_gets_no_second_confirmation(send, mailoutbox):
    send()
    Client().post(link(mailoutbox[0], "/replies/confirm/"))
    send(comment="More.")
    assert len(mailoutbox) == 1


def test_an_erasure_forgets_the_address_said_yes(send, mailoutbox):
    from comments.services.privacy import erase_commenter_data

    send()
    Client().post(link(mailoutbox[0], "/replies/confirm/"))
    erase_commenter_data(AMY)
    assert not ReplyAddress.objects.exists()


def test_the_export_says_whether_the_address_confirmed(send, mailoutbox):
    from comments.services.data_export import export_commenter_data

    send()
    Client().post(link(mailoutbox[0], "/replies/confirm/"))
    [address] = export_commenter_data(AMY)["reply_emails"]
    assert address["email"] == AMY and address["confirmed_at"]
