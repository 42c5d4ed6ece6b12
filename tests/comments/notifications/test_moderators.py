"""Emails after the commit: moderators when a comment is held, the author when one is out."""

import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command

from comments.models import Notification
from comments.notifications import moderators, signal_handlers
from comments.screening.verdicts import held_reasons
from comments.services.status import approve, unapprove
from tests.comments.screening_helpers import new_comment, post
from tests.factories import CommentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("notifications_on")]


@pytest.fixture
def authored_article(article):
    article.author = UserFactory(username="writer", email="writer@example.com")
    article.save()
    return article


def test_held_comment_emails_moderators_with_a_link(
    article, moderator, django_capture_on_commit_callbacks
):
    UserFactory(username="boss", is_superuser=True, is_staff=True, email="boss@example.com")
    comment = CommentFactory(
        article=article,
        body="Is magnesium worth taking?",
        screening=[{"step": "links", "verdict": "hold", "reason": "2 links"}],
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signal_handlers.comment_held(comment)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    # one email each: each carries that moderator's own links
    assert sorted(to for message in mail.outbox for to in message.to) == [
        "boss@example.com",
        "moderator@example.com",
    ]
    for message in mail.outbox:
        assert "Is magnesium worth taking?" in message.body
        assert f"/admin/comments/comment/{comment.pk}/change/" in message.body
        assert "Held because: 2 links" in message.body
        assert "Approve: http" in message.body and "Remove: http" in message.body
    assert mail.outbox[0].body != mail.outbox[1].body
    assert comment.history.filter(kind="notification").exists()


def test_digest_setting_waits_for_the_digest_command(
    article, moderator, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_MODERATORS = "digest"
    first, _second = CommentFactory.create_batch(2, article=article)
    with django_capture_on_commit_callbacks(execute=True):
        signal_handlers.comment_held(first)
    assert mail.outbox == []
    call_command("send_moderation_digest")
    [digest] = mail.outbox
    assert "2 comments awaiting moderation" in digest.body
    call_command("send_moderation_digest")
    assert len(mail.outbox) == 1  # each comment is in one digest only


def test_approval_emails_the_article_author_once(
    authored_article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=authored_article, author_name="Tina Shute")
    with django_capture_on_commit_callbacks(execute=True):
        approve(comment, by=moderator)
        unapprove(comment, by=moderator)
        approve(comment, by=moderator)
    [message] = mail.outbox
    assert message.to == ["writer@example.com"]
    assert "Tina Shute" in message.body and f"/comments/{comment.pk}/" in message.body


def test_author_setting_off(
    authored_article, moderator, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_AUTHOR = False
    with django_capture_on_commit_callbacks(execute=True):
        approve(CommentFactory(article=authored_article), by=moderator)
    assert mail.outbox == []


def test_mail_failure_is_logged_and_the_comment_kept(
    authored_article, moderator, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(EmailMessage, "send", broken)
    comment = CommentFactory(article=authored_article)
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(comment, by=moderator)
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert "failed" in caplog.text
    assert comment.history.get(kind="notification").note.endswith("connection lost")


def test_no_email_when_moderated_before_the_task_ran(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article)
    approve(comment, by=moderator)
    moderators.send_held_notice.call(comment.pk)
    assert mail.outbox == []


# --- Each email is a record: a failed one is retried, a sent one never repeats ------------------


def test_a_failed_email_goes_out_once_when_the_comment_is_approved_again(
    authored_article, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=authored_article)
    real_send = EmailMessage.send

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        approve(comment, by=moderator)
    assert mail.outbox == []

    monkeypatch.setattr(EmailMessage, "send", real_send)
    with django_capture_on_commit_callbacks(execute=True):
        unapprove(comment, by=moderator)
        approve(comment, by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        unapprove(comment, by=moderator)
        approve(comment, by=moderator)

    [message] = mail.outbox
    assert message.to == ["writer@example.com"]
    record = Notification.objects.get(comment=comment, kind=Notification.Kind.PUBLISHED)
    assert (record.status, record.attempts, record.last_error) == ("sent", 2, "")
    notes = list(comment.history.filter(kind="notification").values_list("note", flat=True))
    assert notes == [
        "Article's author emailed: published FAILED (attempt 1): "
        "SMTPServerDisconnected: connection lost",
        "Article's author emailed: published (1 recipient)",
    ]


def test_a_sent_held_notice_is_not_sent_again_by_a_second_task(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article)
    assert moderators.send_held_notice.call(comment.pk) is True
    assert moderators.send_held_notice.call(comment.pk) is False
    assert len(mail.outbox) == 1


def test_akismet_off_is_never_a_reason_for_holding(article, moderator, settings):
    """With no Akismet key every comment's log says "akismet: off"; that held nothing."""
    settings.AKISMET_API_KEY = ""
    comment = new_comment(article, body="My first comment here.")
    post(comment)
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert [s["step"] for s in comment.screening][-1] == "akismet"
    assert [step["step"] for step in held_reasons(comment.screening)] == ["first_time"]
    moderators.send_held_notice.call(comment.pk)
    [message] = mail.outbox
    assert "Held because: First comment from this address" in message.body
    assert "Akismet is off" not in message.body
