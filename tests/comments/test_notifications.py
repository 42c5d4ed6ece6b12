"""Emails after the commit: moderators when a comment is held, the author when one is out."""

import smtplib

import pytest
from django.core import mail
from django.core.management import call_command

from comments import moderation, notifications
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
        notifications.comment_held(comment)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert sorted(message.to) == ["boss@example.com", "moderator@example.com"]
    assert "Is magnesium worth taking?" in message.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body
    assert "links: 2 links" in message.body
    assert comment.history.filter(kind="notification").exists()


def test_digest_setting_waits_for_the_digest_command(
    article, moderator, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_MODERATORS = "digest"
    first, _second = CommentFactory.create_batch(2, article=article)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.comment_held(first)
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
        moderation.approve(comment, by=moderator)
        moderation.unapprove(comment, by=moderator)
        moderation.approve(comment, by=moderator)
    [message] = mail.outbox
    assert message.to == ["writer@example.com"]
    assert "Tina Shute" in message.body and f"/comments/{comment.pk}/" in message.body


def test_author_setting_off(
    authored_article, moderator, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_AUTHOR = False
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(CommentFactory(article=authored_article), by=moderator)
    assert mail.outbox == []


def test_mail_failure_is_logged_and_the_comment_kept(
    authored_article, moderator, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(notifications.EmailMessage, "send", broken)
    comment = CommentFactory(article=authored_article)
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.approve(comment, by=moderator)
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert "failed" in caplog.text
    assert comment.history.get(kind="notification").note.endswith("connection lost")


def test_no_email_when_moderated_before_the_task_ran(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article)
    moderation.approve(comment, by=moderator)
    notifications.send_held_notice.call(comment.pk)
    assert mail.outbox == []
