"""Spam is purged after its retention; nothing else is."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment
from comments.services.housekeeping import EMPTIED_NOTE, purge_date, purge_spam
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_old_spam_is_purged_recent_spam_and_other_comments_kept(article):
    old = CommentFactory(article=article, status="spam", status_changed_at=days_ago(16))
    recent = CommentFactory(article=article, status="spam", status_changed_at=days_ago(14))
    held = CommentFactory(article=article, status="pending", status_changed_at=days_ago(90))
    assert purge_spam() == 1
    assert set(Comment.objects.values_list("pk", flat=True)) == {recent.pk, held.pk}
    assert not Comment.objects.filter(pk=old.pk).exists()


def test_blatant_spam_goes_sooner(article):
    CommentFactory(
        article=article, status="spam", akismet_verdict="blatant", status_changed_at=days_ago(2)
    )
    kept = CommentFactory(article=article, status="spam", status_changed_at=days_ago(2))
    assert purge_spam() == 1
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]


def test_spam_with_a_legitimate_reply_is_kept(article):
    spam = CommentFactory(article=article, status="spam", status_changed_at=days_ago(30))
    CommentFactory(parent=spam, status="approved")
    assert purge_spam() == 0
    assert Comment.objects.count() == 2


def test_purge_date_and_settings(article, settings):
    settings.COMMENTS_SPAM_RETENTION_DAYS = 30
    spam = CommentFactory(article=article, status="spam", status_changed_at=days_ago(1))
    assert purge_date(spam) == spam.status_changed_at + timedelta(days=30)
    assert purge_date(CommentFactory(article=article)) is None


def test_command(article, capsys):
    CommentFactory.create_batch(2, article=article, status="spam", status_changed_at=days_ago(20))
    call_command("purge_spam")
    assert "Deleted 2 spam comments." in capsys.readouterr().out


def test_spam_kept_for_a_reply_is_emptied_of_the_spammer_when_its_time_is_up(article):
    """The privacy page's exception: the placeholder stays, nothing of the spammer does."""
    spam = CommentFactory(
        article=article,
        status="spam",
        status_changed_at=days_ago(30),
        author_name="Cheap Pills",
        author_email="pills@spam.example",
        author_url="https://pills.example",
        body="Buy pills at https://pills.example",
        ip_address="198.51.100.66",
        referrer="https://pills.example/in",
        akismet_request={
            "user_ip": "198.51.100.66",
            "comment_author_email": "pills@spam.example",
            "comment_content": "Buy pills",
            "permalink": "http://x/a/",
        },
    )
    reply = CommentFactory(parent=spam, status="approved", body="Is this spam?")
    recent = CommentFactory(article=article, status="spam", status_changed_at=days_ago(3))
    CommentFactory(parent=recent, status="approved")

    assert purge_spam() == 0  # nothing deleted: the reply keeps its place

    spam.refresh_from_db()
    assert spam.status == "spam" and spam.erased_at is not None
    assert spam.author_name == "Anonymous"
    assert (spam.author_email, spam.author_url, spam.ip_address) == ("", "", None)
    assert (spam.user_agent, spam.referrer) == ("", "")
    assert "pills" not in spam.body.lower() and "pills" not in spam.body_html.lower()
    assert spam.akismet_request["user_ip"] == spam.akismet_request["comment_content"] == ""
    assert spam.akismet_request["permalink"] == "http://x/a/"
    assert spam.history.last().note == EMPTIED_NOTE
    reply.refresh_from_db()
    assert reply.parent_id == spam.pk and reply.body == "Is this spam?"
    recent.refresh_from_db()
    assert recent.erased_at is None  # not yet past its retention

    history = spam.history.count()
    purge_spam()
    assert spam.history.count() == history  # emptied once
