"""A web process lets at most AKISMET_MAX_CONCURRENT requests wait on Akismet at once: a comment
beyond that is kept and held unchecked (never lost, never published unchecked), Akismet is not
asked, and the recheck settles it as after an outage."""

import time

import pytest

from comments.models import Comment
from comments.screening import akismet_slots
from comments.services import rechecks
from tests.comments.screening_helpers import new_comment, post

pytestmark = pytest.mark.django_db

CHECK = "/1.1/comment-check"


@pytest.fixture
def one_slot(akismet_emulator, settings):
    settings.AKISMET_MAX_CONCURRENT = 1
    return akismet_emulator


def test_a_comment_over_the_limit_is_kept_held_and_not_sent(one_slot, article, returning_email):
    comment = new_comment(article, author_email=returning_email)

    # Another request of this process is waiting on Akismet.
    with akismet_slots.check_slot() as mine:
        assert mine
        decision = post(comment)

    comment.refresh_from_db()
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert (decision.status, comment.status) == ("pending", "pending")
    assert comment.akismet_verdict == "unchecked"
    assert comment.akismet_next_check_at is not None
    assert "AKISMET_MAX_CONCURRENT" in comment.akismet_response["error"]
    assert one_slot.requests_to(CHECK) == []


def test_the_recheck_then_publishes_it(one_slot, article, returning_email):
    comment = new_comment(article, author_email=returning_email)
    with akismet_slots.check_slot():
        post(comment)

    assert rechecks.process_due(now=comment.akismet_next_check_at)["rechecked"] == 1

    comment.refresh_from_db()
    assert (comment.status, comment.akismet_verdict) == ("approved", "ham")
    assert len(one_slot.requests_to(CHECK)) == 1


def test_the_slot_is_given_back(one_slot, article, returning_email):
    with akismet_slots.check_slot():
        pass

    comment = new_comment(article, author_email=returning_email)
    assert post(comment).status == "approved"
    assert comment.akismet_verdict == "ham"


def test_a_reader_over_the_limit_is_told_their_comment_awaits_moderation(one_slot, client, article):
    from comments.web.forms import HONEYPOT_FIELD, sign_timestamp

    data = {
        "comment": "Posted while Akismet was busy with others.",
        "name": "Busy Reader",
        "email": "busy@example.com",
        "website": "",
        "timestamp": sign_timestamp(article.pk, time.time() - 30),
        HONEYPOT_FIELD: "",
    }
    with akismet_slots.check_slot():
        response = client.post(f"/comments/post/{article.pk}/", data)

    assert response.status_code == 302
    comment = Comment.objects.get(body=data["comment"])
    assert (comment.status, comment.akismet_verdict) == ("pending", "unchecked")
    assert f"#comment-{comment.pk}" in response["Location"]
    assert "comments_pending" in response.cookies  # the writer still sees it on the page


def test_zero_means_no_limit(akismet_emulator, settings):
    settings.AKISMET_MAX_CONCURRENT = 0
    with akismet_slots.check_slot() as first, akismet_slots.check_slot() as second:
        assert first and second
