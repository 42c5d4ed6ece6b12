"""Issue 26: "Email me when my comment is published", beside "Email me replies" in the form,
double opt-in like it: one email when a moderator approves the held comment, to a confirmed
address only, never for a comment published at once or published again later."""

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Notification, ReplyAddress
from comments.notifications import optin
from comments.services import moderation, reports
from comments.web.forms import sign_timestamp

pytestmark = pytest.mark.django_db

AMY = "amy@example.com"


@pytest.fixture
def send(client, article, settings, django_capture_on_commit_callbacks):
    """Post as a reader who ticked the box (first comments are held: the default)."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0

    def post(**fields):
        data = {
            "comment": "Does magnesium help?",
            "name": "Amy",
            "email": AMY,
            "timestamp": sign_timestamp(article.pk),
            "notify_published": "on",
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("comments:post", args=[article.pk]), data)
        assert response.status_code == 302, response.content.decode()
        return Comment.objects.latest("pk")

    return post


@pytest.fixture
def decide(moderator, django_capture_on_commit_callbacks):
    def run(name, comment):
        with django_capture_on_commit_callbacks(execute=True):
            return moderation.apply(name, [comment], by=moderator)

    return run


def confirm():
    ReplyAddress.objects.update_or_create(email=AMY, defaults={"confirmed_at": timezone.now()})


def published_emails(outbox):
    return [m for m in outbox if m.subject.endswith("is published")]


def test_the_box_sits_with_the_reply_emails_box(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    replies = html.index('name="notify_replies"')
    published = html.index('name="notify_published"')
    assert 0 < published - replies < 600  # the next field
    assert "Email me when my comment is published" in html


def test_ticking_it_asks_for_the_confirmation_first(send, mailoutbox, decide):
    comment = send()
    assert comment.status == "pending" and comment.notify_published
    (confirmation,) = mailoutbox
    assert "“Email me when my comment is published”" in confirmation.body
    decide("approve", comment)
    assert published_emails(mailoutbox) == []  # not confirmed: nothing


def test_a_confirmed_writer_hears_once_when_a_moderator_approves(send, mailoutbox, decide):
    confirm()
    comment = send()
    assert mailoutbox == []  # confirmed already: no confirmation
    decide("approve", comment)
    (email,) = published_emails(mailoutbox)
    assert email.to == [AMY]
    assert comment.get_absolute_url() in email.body
    assert "Stop all emails" in email.body and email.extra_headers["List-Unsubscribe"]
    decide("unapprove", comment)
    decide("approve", comment)
    assert len(published_emails(mailoutbox)) == 1  # published before: no second email
    assert Notification.objects.get(kind="approved").status == "sent"


def test_no_email_for_a_comment_published_at_once(send, mailoutbox, settings):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    confirm()
    comment = send()
    assert comment.status == "approved"
    assert published_emails(mailoutbox) == []


def test_no_email_when_a_comment_held_by_reports_is_published_again(
    send, mailoutbox, decide, settings
):
    settings.COMMENTS_REPORTS_HOLD_NETWORKS = 1
    confirm()
    comment = send()
    decide("approve", comment)
    reports.report_comment(comment, reason="spam", reader="x", ip="192.0.2.1")
    comment.refresh_from_db()
    assert comment.status == "pending"
    decide("dismiss_reports", comment)
    assert len(published_emails(mailoutbox)) == 1


def test_unticked_means_no_email(send, mailoutbox, decide):
    confirm()
    comment = send(notify_published="")
    decide("approve", comment)
    assert published_emails(mailoutbox) == []


def test_stop_all_clears_the_box(send):
    comment = send()
    optin.stop_all_reply_emails(optin.reply_address(AMY))
    comment.refresh_from_db()
    assert not comment.notify_published
