"""Issue 28: a burst of held comments queues one deferred email for its window, not one per
comment (489 `send_held_notices_later` tasks for one burst), queues `send_held_notice` once
for the comments held while one is waiting, not once per comment, and loses no notice, with the
cache up or down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, Notification
from comments.notifications import moderators, signal_handlers
from fitness.core import tolerant_cache
from tests.comments.test_cache_down import UNREACHABLE_REDIS
from tests.factories import CommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("notifications_on")]

HELD_FOR = [{"step": "first_time", "verdict": "hold", "reason": "first comment"}]
BURST = 6


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def cache_down():
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert tolerant_cache.add("probe", True, 60) is None  # it really is down
        yield


def held(article):
    return CommentFactory(article=article, screening=HELD_FOR)


def deferred_rows():
    return DBTaskResult.objects.filter(task_path=moderators.send_held_notices_later.module_path)


def held_burst(article):
    """The first held comment emailed at once, then BURST more held within its window, each
    task run as the worker runs it; the comments of the burst."""
    assert moderators.send_held_notice.call(held(article).pk) is True
    burst = [held(article) for _ in range(BURST)]
    for comment in burst:
        assert moderators.send_held_notice.call(comment.pk) is False  # the burst waits
    assert len(mail.outbox) == 1
    return burst


def end_window_and_run(row):
    """The window's end: the deferred task runs (the clock moved on by HELD_BURST)."""
    Notification.objects.update(sent_at=row.run_after - moderators.HELD_BURST * 2)
    return row.task.call()


def assert_one_listing_of(burst):
    assert len(mail.outbox) == 2
    listing = mail.outbox[1]
    assert listing.subject.endswith(f"{BURST} comments held for review")
    for comment in burst:
        assert f"/admin/comments/comment/{comment.pk}/change/" in listing.body


def test_a_burst_queues_one_deferred_task_and_its_end_lists_every_comment(
    article, moderator, database_tasks
):
    burst = held_burst(article)

    [row] = deferred_rows()
    assert row.run_after == moderators.last_held_email_at() + moderators.HELD_BURST
    assert end_window_and_run(row) == BURST
    assert_one_listing_of(burst)


def test_with_the_cache_down_the_database_claims_the_window_and_no_notice_is_lost(
    article, moderator, database_tasks, cache_down
):
    burst = held_burst(article)

    [row] = deferred_rows()
    assert end_window_and_run(row) == BURST
    assert_one_listing_of(burst)


def test_a_task_that_could_not_be_queued_leaves_the_window_to_the_next_comment(
    article, moderator, database_tasks, monkeypatch
):
    assert moderators.send_held_notice.call(held(article).pk) is True

    def refused(*args, **kwargs):
        raise RuntimeError("queue unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(DatabaseBackend, "enqueue", refused)
        first = held(article)
        assert moderators.send_held_notice.call(first.pk) is False
    assert not deferred_rows().exists()

    second = held(article)
    assert moderators.send_held_notice.call(second.pk) is False

    [row] = deferred_rows()
    assert end_window_and_run(row) == 2
    assert {first.pk, second.pk} <= set(Notification.objects.values_list("comment", flat=True))


def test_the_first_comment_of_a_new_burst_goes_at_once_even_after_a_recent_email(
    article, moderator, database_tasks
):
    """The last email (about an earlier burst) went 5 minutes ago; nothing has been held in
    the 10 minutes before this comment: it starts a burst, and is not kept for the window."""
    earlier = held(article)
    assert moderators.send_held_notice.call(earlier.pk) is True
    earlier_time = timezone.now() - moderators.HELD_BURST - timedelta(minutes=5)
    Comment.objects.filter(pk=earlier.pk).update(created_at=earlier_time)
    Notification.objects.update(sent_at=timezone.now() - timedelta(minutes=5))

    first = held(article)
    assert moderators.send_held_notice.call(first.pk) is True  # at once
    assert len(mail.outbox) == 2 and f"/comment/{first.pk}/change/" in mail.outbox[1].body
    second = held(article)
    assert moderators.send_held_notice.call(second.pk) is False  # the rest of it coalesces
    assert len(mail.outbox) == 2 and deferred_rows().count() == 1


def notice_rows():
    return DBTaskResult.objects.filter(task_path=moderators.send_held_notice.module_path)


def test_a_burst_of_held_comments_queues_one_notice_task_and_every_comment_is_emailed(
    article, moderator, database_tasks
):
    """Held comments arrive faster than the worker runs tasks: the first queues the notice
    task, the rest find one already queued; that task's email lists all of them."""
    burst = [held(article) for _ in range(BURST)]
    for comment in burst:
        signal_handlers.comment_held(comment)

    [row] = notice_rows()
    assert row.task.call(*row.args_kwargs["args"]) is True  # the first of a burst: emailed at once
    assert len(mail.outbox) == 1
    for comment in burst:
        assert f"/admin/comments/comment/{comment.pk}/change/" in mail.outbox[0].body


def test_a_held_comment_after_the_gate_reopens_queues_its_own_task(
    article, moderator, database_tasks
):
    signal_handlers.comment_held(held(article))
    tolerant_cache.delete(moderators.HELD_NOTICE_GATE)  # HELD_NOTICE_GATE_SECONDS later
    signal_handlers.comment_held(held(article))
    assert notice_rows().count() == 2


def test_with_the_cache_down_every_held_comment_queues_its_task(
    article, moderator, database_tasks, cache_down
):
    for _ in range(3):
        signal_handlers.comment_held(held(article))
    assert notice_rows().count() == 3
