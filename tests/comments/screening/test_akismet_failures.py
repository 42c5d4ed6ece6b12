"""When Akismet fails, nothing is lost and nothing is published unchecked; a recheck settles it."""

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.screening import akismet
from comments.services import rechecks
from tests.comments.screening_helpers import new_comment, post

pytestmark = pytest.mark.django_db

CHECK = "/1.1/comment-check"
FAILURES = ["slow", "error500", "garbage", "invalid", "close"]


def post_while(emulator, mode, comment):
    emulator.misbehave(mode, seconds=1.0, count=1, path=CHECK)
    before = Comment.objects.count()
    decision = post(comment)
    assert Comment.objects.count() == before + 1, "the comment must be kept"
    comment.refresh_from_db()
    return decision


@pytest.mark.parametrize("mode", FAILURES)
def test_a_failure_keeps_the_comment_held_and_unchecked(
    akismet_emulator, article, returning_email, mode
):
    comment = new_comment(article, author_email=returning_email)
    started = timezone.now()
    assert post_while(akismet_emulator, mode, comment).status == "pending"
    assert comment.status == "pending"
    assert comment.akismet_verdict == "unchecked"
    assert comment.akismet_attempts == 1
    assert comment.akismet_next_check_at >= started + timezone.timedelta(seconds=60)
    assert comment.akismet_response["error"]
    assert ("akismet", "unchecked") in [(s["step"], s["verdict"]) for s in comment.screening]


@pytest.mark.parametrize("mode", FAILURES)
def test_a_later_recheck_publishes_ham(akismet_emulator, article, returning_email, mode):
    comment = new_comment(article, author_email=returning_email)
    post_while(akismet_emulator, mode, comment)
    done = rechecks.process_due(now=comment.akismet_next_check_at)
    assert done["rechecked"] == 1
    comment.refresh_from_db()
    assert (comment.status, comment.akismet_verdict) == ("approved", "ham")
    assert comment.akismet_next_check_at is None
    recheck = akismet_emulator.requests_to(CHECK)[-1]["fields"]
    assert recheck["recheck_reason"] == "recheck_queue"
    assert comment.history.last().actor_label == "Akismet"


def test_a_later_recheck_sends_spam_to_spam(akismet_emulator, article):
    comment = new_comment(article, author_name="akismet-guaranteed-spam")
    post_while(akismet_emulator, "error500", comment)
    rechecks.process_due(now=comment.akismet_next_check_at)
    comment.refresh_from_db()
    assert (comment.status, comment.akismet_verdict) == ("spam", "spam")


def test_a_later_recheck_of_discard_is_blatant_spam(akismet_emulator, article):
    comment = new_comment(article, author_name="akismet-guaranteed-discard")
    post_while(akismet_emulator, "close", comment)
    rechecks.process_due(now=comment.akismet_next_check_at)
    comment.refresh_from_db()
    assert (comment.status, comment.akismet_verdict) == ("spam", "blatant")


def test_ham_on_recheck_keeps_a_first_timer_held(akismet_emulator, article):
    comment = new_comment(article)
    post_while(akismet_emulator, "garbage", comment)
    rechecks.process_due(now=comment.akismet_next_check_at)
    comment.refresh_from_db()
    assert (comment.status, comment.akismet_verdict) == ("pending", "ham")
    assert "still held: no approved comment yet" in comment.history.last().note


def test_nothing_is_rechecked_before_it_is_due(akismet_emulator, article, returning_email):
    comment = new_comment(article, author_email=returning_email)
    post_while(akismet_emulator, "error500", comment)
    assert rechecks.process_due()["rechecked"] == 0
    assert len(akismet_emulator.requests_to(CHECK)) == 1


def test_nothing_listening_holds_and_the_recheck_settles_it_when_back(
    akismet_emulator, article, returning_email, settings, closed_port
):
    settings.AKISMET_API_URL = f"http://127.0.0.1:{closed_port}"
    before = Comment.objects.count()
    comment = new_comment(article, author_email=returning_email)
    assert post(comment).status == "pending"
    assert Comment.objects.count() == before + 1
    comment.refresh_from_db()
    assert comment.akismet_verdict == "unchecked"
    assert "Error making request" in comment.akismet_response["error"]

    settings.AKISMET_API_URL = akismet_emulator.url  # Akismet is back
    rechecks.process_due(now=comment.akismet_next_check_at)
    comment.refresh_from_db()
    assert (comment.status, comment.akismet_verdict) == ("approved", "ham")


def test_retries_back_off_then_give_up_and_leave_it_for_a_human(
    akismet_emulator, article, returning_email, settings
):
    settings.AKISMET_RECHECK_SCHEDULE = [60, 300, 1200, 3600, 21600]
    akismet_emulator.misbehave("error500", path=CHECK)  # until reset
    comment = new_comment(article, author_email=returning_email)
    post(comment)
    comment.refresh_from_db()
    delays = []
    while comment.akismet_next_check_at is not None:
        checked_at = comment.akismet_next_check_at
        rechecks.process_due(now=checked_at)
        comment.refresh_from_db()
        if comment.akismet_next_check_at:
            delays.append((comment.akismet_next_check_at - checked_at).total_seconds())
    assert delays[:5] == [300, 1200, 3600, 21600, 21600]
    assert comment.created_at + timezone.timedelta(days=14) < comment.akismet_checked_at
    assert (comment.status, comment.akismet_verdict) == ("pending", "unchecked")
    assert "gave up retrying after 15 days" in comment.history.last().note


def test_a_recheck_after_the_key_is_fixed_clears_the_owner_warning(
    akismet_emulator, article, returning_email, settings
):
    settings.AKISMET_API_KEY = "invalid-key"
    comment = new_comment(article, author_email=returning_email)
    post(comment)
    assert akismet.owner_warnings()[0].startswith("Akismet rejected the API key")
    settings.AKISMET_API_KEY = "a-good-key"
    comment.refresh_from_db()
    rechecks.process_due(now=comment.akismet_next_check_at)
    assert akismet.owner_warnings() == []


def test_a_moderators_recheck_runs_now(akismet_emulator, article, returning_email):
    comment = new_comment(article, author_email=returning_email)
    post_while(akismet_emulator, "error500", comment)
    assert rechecks.recheck(comment) == "ham"
    assert comment.status == "approved"
