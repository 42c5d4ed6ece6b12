"""Moderation operations: reclassifications reach Akismet, new comments are announced."""

import pytest
from django.core import mail

from comments.models import Comment
from comments.services import moderation, posting, rechecks
from comments.services.status import mark_ham, mark_spam
from tests.comments.screening_helpers import REPORTED_FIELDS, new_comment, post
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

CHECK = "/1.1/comment-check"


@pytest.fixture
def checked(article, akismet_emulator, django_capture_on_commit_callbacks):
    """A comment Akismet called ham, held for a moderator (first-time commenter)."""
    comment = new_comment(article, body="Stretching twice a day fixed my calf cramps.")
    with django_capture_on_commit_callbacks(execute=True):
        post(comment)
    comment.refresh_from_db()
    assert comment.akismet_verdict == "ham"
    return comment


def test_mark_spam_reports_the_original_fields(
    checked, akismet_emulator, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_spam(checked, by=moderator)
    checked.refresh_from_db()
    assert checked.status == "spam"
    [sent] = akismet_emulator.requests_to("/1.1/submit-spam")
    [original] = akismet_emulator.requests_to(CHECK)
    for field in REPORTED_FIELDS:
        assert sent["fields"].get(field) == original["fields"].get(field), field
    assert checked.history.filter(kind="akismet_report", note__contains="spam").exists()


def test_not_spam_reports_ham_and_approves(
    checked, akismet_emulator, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mark_spam(checked, by=moderator)
        mark_ham(checked, by=moderator)
    checked.refresh_from_db()
    assert checked.status == "approved"
    assert len(akismet_emulator.requests_to("/1.1/submit-ham")) == 1
    statuses = list(checked.history.filter(kind="status").values_list("to_status", flat=True))
    assert statuses[-2:] == ["spam", "approved"]


def test_spam_akismet_already_caught_is_not_reported_again(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article, akismet_verdict="spam")
    with django_capture_on_commit_callbacks(execute=True):
        mark_spam(comment, by=moderator)
    assert not comment.akismet_reports.exists()


def test_report_failure_never_fails_the_decision(
    checked, akismet_emulator, moderator, django_capture_on_commit_callbacks
):
    akismet_emulator.misbehave("error500", path="/1.1/submit-spam")
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_spam(checked, by=moderator)
    checked.refresh_from_db()
    assert checked.status == "spam"
    report = checked.akismet_reports.get()
    assert report.status == "pending" and report.next_attempt_at is not None  # retried later


def test_recheck_moves_the_status(article, akismet_emulator, moderator):
    comment = CommentFactory(article=article, author_name="akismet-guaranteed-spam")
    assert rechecks.recheck(comment, by=moderator) == "spam"
    comment.refresh_from_db()
    assert comment.status == "spam"


def test_apply_to_many_counts_only_changes(article, moderator):
    comments = [CommentFactory(article=article), CommentFactory(article=article, status="approved")]
    assert moderation.apply_to_many("approve", comments, by=moderator) == 1
    assert Comment.objects.public().count() == 2


def test_announce_new_tells_moderators_or_the_author(
    article, moderator, notifications_on, django_capture_on_commit_callbacks
):
    notifications_on.COMMENTS_MODERATORS_EMAILS = ["mods@example.com"]
    article.author = moderator
    article.save()
    held = CommentFactory(article=article)
    published = CommentFactory(article=article, status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        posting.announce_new(held)
        posting.announce_new(published)
    assert [m.to for m in mail.outbox] == [["mods@example.com"], [moderator.email]]


def test_a_new_held_comment_is_announced_to_moderators(
    checked, moderator, notifications_on, django_capture_on_commit_callbacks
):
    comment = new_comment(
        checked.article,
        body="Does foam rolling help?",
        ip_address="192.0.2.99",
        author_email="rolling@example.com",
        author_name="Roller",
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(comment)
    comment.refresh_from_db()
    assert comment.status == "pending"
    [message] = mail.outbox  # screening.finish() calls posting.announce_new()
    assert "Does foam rolling help?" in message.body


def test_a_selection_is_approved_and_undone_as_one_action(article, moderator):
    """What the queue's selected rows get: one `apply` over many, one `undo` of its steps;
    each comment's history says who did it, a comment someone moved meanwhile is left."""
    held = CommentFactory.create_batch(3, article=article)
    moved = CommentFactory(article=article, status="spam")

    applied = moderation.apply("approve", [*held, moved], by=moderator, expected="pending")

    assert (applied.changed, len(applied.steps), len(applied.conflicts)) == (3, 3, 1)

    def statuses():
        return set(
            Comment.objects.filter(pk__in=[c.pk for c in held]).values_list("status", flat=True)
        )

    assert statuses() == {"approved"}
    assert Comment.objects.get(pk=moved.pk).status == "spam"
    for comment in held:
        assert comment.history.get(kind="status", to_status="approved").actor == moderator

    assert moderation.undo(applied.steps, by=moderator) == 3
    assert statuses() == {"pending"}
    article.refresh_from_db()
    assert article.comment_count == 0
