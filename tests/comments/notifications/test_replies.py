"""A reader who ticks "Email me replies to this comment" hears of each published reply, once,
and can stop those emails with one click."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ReplyAddress
from comments.notifications import replies
from comments.services import posting, status
from comments.services.privacy import erase_commenter_data
from comments.web.forms import sign_timestamp
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

AMY = "amy@example.com"
QUESTION = "Does magnesium stop the twitching after a long run, or is it just water?"
ANSWER = "Magnesium helped me a little; sleep and water helped far more."


@pytest.fixture
def question(article):
    """Amy's published comment; she ticked the box, and confirmed the address (double opt-in:
    tests/comments/notifications/test_reply_optin.py)."""
    ReplyAddress.objects.create(email=AMY, confirmed_at=timezone.now())
    return CommentFactory(
        article=article,
        status="approved",
        author_name="Amy",
        author_email=AMY,
        body=QUESTION,
        notify_replies=True,
    )


@pytest.fixture
def publish(moderator, django_capture_on_commit_callbacks):
    """Approve comments as a moderator, running what follows the commit (the emails)."""

    def approve(*comments):
        with django_capture_on_commit_callbacks(execute=True):
            for comment in comments:
                status.approve(comment, by=moderator)

    return approve


def reply_to(parent, **fields):
    fields = {
        "author_name": "Stephen",
        "author_email": "stephen@example.com",
        "body": ANSWER,
        **fields,
    }
    return CommentFactory(parent=parent, **fields)


def stop_path(message):
    """The stop link of a reply email, as a path on this site."""
    [line] = [line for line in message.body.splitlines() if "/comments/replies/stop/" in line]
    url = line.rsplit(" ", 1)[-1]
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    return urlsplit(url).path


def test_the_commenter_gets_one_email_with_the_reply_and_a_stop_link(
    question, article, publish, mailoutbox, settings
):
    reply = reply_to(question)
    publish(reply)

    [message] = mailoutbox
    assert message.to == [AMY]
    subject = f"[{settings.SITE_NAME}] New reply to your comment on “{article.title}”"
    assert message.subject == subject
    assert "Stephen replied to your comment" in message.body
    assert ANSWER in message.body
    assert f"{settings.SITE_URL}/comments/{reply.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "stephen@example.com" not in str(message.message())  # headers and body

    response = Client().post(stop_path(message))
    assert "You will get no more emails about replies to this comment." in response.text
    question.refresh_from_db()
    assert question.notify_replies is False
    publish(reply_to(question, author_name="Another"))
    assert len(mailoutbox) == 1


def test_the_reply_links_to_where_the_reader_sees_it(question, article, publish, mailoutbox):
    reply = reply_to(question)
    publish(reply)
    [message] = mailoutbox
    link = next(word for word in message.body.split() if f"/comments/{reply.pk}/" in word)
    response = Client().get(urlsplit(link).path)
    assert response.status_code == 302
    assert response.url.startswith(article.get_absolute_url())
    assert response.url.endswith(f"#comment-{reply.pk}")


def test_no_email_without_the_box_ticked(question, publish, mailoutbox):
    question.notify_replies = False
    question.save()
    publish(reply_to(question))
    assert mailoutbox == []


def test_a_worker_is_given_a_task_only_for_commenters_who_asked(
    question, article, publish, settings
):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    silent = CommentFactory(article=article, status="approved", notify_replies=False)

    publish(reply_to(silent), reply_to(question))

    queued = [r.args for r in backend.results if r.task.name == "send_reply_notice"]
    assert len(queued) == 1 and Comment.objects.get(pk=queued[0][0]).parent == question


def test_the_admin_shows_whether_a_commenter_asked_for_reply_emails(question, admin_client):
    page = admin_client.get(reverse("admin:comments_comment_change", args=[question.pk]))
    assert "Email replies" in page.content.decode()


def test_nobody_is_told_of_their_own_reply(question, publish, mailoutbox):
    publish(reply_to(question, author_name="Amy", author_email="AMY@Example.com"))
    assert mailoutbox == []


def test_held_and_spam_replies_send_nothing_until_published(
    question, moderator, publish, mailoutbox, django_capture_on_commit_callbacks
):
    held, spam = reply_to(question), reply_to(question, body="Cheap pills here.")
    with django_capture_on_commit_callbacks(execute=True):
        posting.announce_new(held)  # as posting does for a held comment
        status.mark_spam(spam, by=moderator, report=False)
    assert mailoutbox == []
    publish(held)
    assert len(mailoutbox) == 1


def test_approved_unapproved_and_approved_again_is_one_email(
    question, moderator, publish, mailoutbox, django_capture_on_commit_callbacks
):
    reply = reply_to(question)
    publish(reply)
    with django_capture_on_commit_callbacks(execute=True):
        status.unapprove(reply, by=moderator)
    publish(reply)
    assert len(mailoutbox) == 1


def test_each_reply_is_its_own_email(question, publish, mailoutbox):
    publish(reply_to(question), reply_to(question, author_name="Tina", author_email="t@x.org"))
    assert [m.to for m in mailoutbox] == [[AMY], [AMY]]


def test_no_email_about_a_comment_that_is_no_longer_published(question, moderator, mailoutbox):
    reply = reply_to(question, status="approved")
    status.remove(question, by=moderator)
    replies.send_reply_notice.call(reply.pk)  # the task runs after the removal
    assert mailoutbox == []


def test_no_email_about_replies_to_other_comments(question, publish, mailoutbox):
    other = CommentFactory(article=question.article, status="approved")
    publish(reply_to(other))
    assert mailoutbox == []


# --- Through the reader's form and the admin -----------------------------------------------


@pytest.fixture
def form_post(client, article, settings, django_capture_on_commit_callbacks):
    """Send the Leave a Reply form as a reader would, running what follows the commit."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0

    def post(**fields):
        data = {
            "comment": ANSWER,
            "name": "Stephen",
            "email": "stephen@example.com",
            "website": "",
            "timestamp": sign_timestamp(article.pk),
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("comments:post", args=[article.pk]), data)
        assert response.status_code == 302, response.content.decode()
        return Comment.objects.latest("pk")

    return post


def test_the_form_offers_the_box_unticked(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Email me replies to this comment" in html
    assert 'type="checkbox" name="notify_replies"' in html
    assert 'name="notify_replies" checked' not in html


def test_a_reader_ticks_the_box_on_the_form(form_post):
    assert form_post(notify_replies="on", email=AMY).notify_replies is True
    assert form_post(comment="Another thought on sleep.").notify_replies is False


def test_a_logged_in_reader_is_offered_the_box_only_with_an_email(client, article, reader):
    client.force_login(reader)
    assert "Email me replies" in client.get(article.get_absolute_url()).content.decode()
    reader.email = ""
    reader.save()
    assert "Email me replies" not in client.get(article.get_absolute_url()).content.decode()


def test_a_reply_published_at_posting_emails_at_once(question, form_post, settings, mailoutbox):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    reply = form_post(parent=str(question.pk))
    assert reply.status == "approved"
    [message] = mailoutbox
    assert message.to == [AMY] and ANSWER in message.body


def test_a_held_reply_emails_once_a_moderator_approves_it(question, form_post, publish, mailoutbox):
    reply = form_post(parent=str(question.pk))  # a first-time commenter: held
    assert reply.status == "pending"
    assert mailoutbox == []
    publish(reply)
    assert len(mailoutbox) == 1


def test_a_moderators_reply_from_the_admin_emails_the_commenter(
    question, moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("admin:comments_comment_reply", args=[question.pk])
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(url, {"reply": ANSWER})
    [message] = mailoutbox
    assert message.to == [AMY] and ANSWER in message.body
    assert "moderator@example.com" not in str(message.message())


# --- The stop page ------------------------------------------------------------------------------


def stop_url_of(comment):
    return urlsplit(replies.stop_url(comment)).path


def test_the_stop_page_says_which_comment_and_changes_nothing(question, article, client):
    response = client.get(stop_url_of(question))
    assert response.status_code == 200
    assert article.title in response.text
    assert "Does magnesium stop the twitching" in response.text
    assert "Stop emails about replies" in response.text
    assert "<script" not in response.text.split("<main", 1)[1]
    assert " style=" not in response.text
    question.refresh_from_db()
    assert question.notify_replies is True


def test_one_click_unsubscribe_works_without_a_csrf_token(question):
    client = Client(enforce_csrf_checks=True)
    response = client.post(stop_url_of(question), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You will get no more emails about replies to this comment." in response.text
    question.refresh_from_db()
    assert question.notify_replies is False
    assert question.history.filter(kind="notification", actor_label="stop link").count() == 1
    assert client.post(stop_url_of(question)).status_code == 200  # again: still fine
    assert question.history.filter(kind="notification", actor_label="stop link").count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # a changed signature
        lambda token: "1" + token,  # another comment's id, same signature
        lambda token: "garbage",
    ],
)
def test_a_tampered_link_is_refused(question, client, tamper):
    path = stop_url_of(question)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    bad = path.replace(token, tamper(token))
    for response in (client.get(bad), client.post(bad)):
        assert response.status_code == 404
        assert "This link is not valid" in response.text
    question.refresh_from_db()
    assert question.notify_replies is True


def test_a_link_signed_for_something_else_is_refused(question, client):
    from django.core import signing

    token = signing.Signer(salt="comments.other").sign(str(question.pk))
    response = client.post(reverse("comments:stop_replies", args=[token]))
    assert response.status_code == 404


# --- Failures and privacy -----------------------------------------------------------------------


def test_a_mail_failure_keeps_the_reply_and_is_recorded(
    question, publish, settings, closed_port, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    reply = reply_to(question)
    publish(reply)
    reply.refresh_from_db()
    assert reply.status == "approved"
    [event] = reply.history.filter(kind="notification")
    assert "FAILED" in event.note and AMY not in event.note
    assert "failed" in caplog.text


def test_erasure_clears_the_choice(question, publish, mailoutbox):
    erase_commenter_data(AMY)
    question.refresh_from_db()
    assert question.notify_replies is False
    publish(reply_to(question))
    assert mailoutbox == []


def test_the_privacy_page_mentions_reply_emails(client):
    html = client.get(reverse("privacy")).content.decode()
    assert "Email me replies to this comment" in html
    assert "link that stops them" in html
