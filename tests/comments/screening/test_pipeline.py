"""The whole pipeline: which status a new comment gets, what is recorded, what is refused."""

import logging

import pytest

from comments.models import Comment, CommentEvent, ScreeningWord
from comments.services.posting import post_screened
from tests.comments.screening_helpers import context_for, new_comment, post
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def steps(comment):
    return [(s["step"], s["verdict"]) for s in comment.screening]


def test_a_first_time_reader_is_held_and_every_step_is_recorded(article):
    comment = new_comment(article)
    decision = post(comment)
    comment.refresh_from_db()
    assert comment.status == decision.status == "pending"
    assert steps(comment) == [
        ("honeypot", "pass"), ("banned", "pass"), ("timing", "pass"), ("flood", "pass"),
        ("duplicate", "pass"), ("disallowed_words", "pass"), ("moderation_words", "pass"),
        ("links", "pass"), ("first_time", "hold"), ("held_commenter", "pass"), ("akismet", "off"),
    ]  # fmt: skip
    assert all(isinstance(s["ms"], float) and s["reason"] for s in comment.screening)


def test_a_returning_reader_is_published(article, returning_email):
    comment = new_comment(article, author_email=returning_email)
    assert post(comment).status == "approved"
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_the_history_says_which_rule_decided(article):
    comment = new_comment(article)
    post(comment)
    event = comment.history.get(kind=CommentEvent.Kind.SCREENING)
    assert event.actor_label == "rule: first_time"
    assert event.to_status == "pending"
    assert "first_time: hold (no approved comment yet from this email)" in event.note


def test_the_honeypot_sends_to_spam_and_stops_the_pipeline(article):
    comment = new_comment(article)
    decision = post(comment, context_for(comment, honeypot="buy now"))
    assert decision.status == "spam"
    assert steps(comment) == [("honeypot", "spam")]
    assert comment.history.get(kind="screening").actor_label == "rule: honeypot"


def test_a_too_fast_post_is_held_not_spam(article, returning_email):
    # Issue 16: a quick honest reader was binned; speed alone holds for a moderator.
    comment = new_comment(article, author_email=returning_email)
    decision = post(comment, context_for(comment, form_age=0.5))
    assert decision.status == "pending"
    assert decision.decided_by == "rule: timing"


def test_an_expired_form_is_refused_and_nothing_is_saved(article):
    comment = new_comment(article)
    before = Comment.objects.count()
    decision = post(comment, context_for(comment, form_age=3 * 3600))
    assert decision.refusal == "This form has expired; please send your comment again."
    assert Comment.objects.count() == before


def test_a_second_post_within_the_flood_window_is_refused(article, returning_email):
    post(new_comment(article, author_email=returning_email))
    second = new_comment(article, author_email="bea@example.com", body="Something else")
    decision = post(second)
    assert decision.refusal == (
        "You are posting comments too quickly. Please wait 15 seconds and try again."
    )
    assert second.pk is None


def test_a_refused_attempt_does_not_count_as_a_post(article, returning_email):
    """A duplicate is refused after the flood step; sending a new text at once must work."""
    comment = new_comment(article, author_email=returning_email)
    CommentFactory(article=article, author_email=returning_email, body=comment.body)
    assert post(comment).refusal.startswith("Duplicate comment detected")
    fixed = new_comment(article, author_email=returning_email, body="Said differently.")
    assert post(fixed).status == "approved"


def test_the_same_comment_from_another_address_is_refused_as_a_duplicate(article, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post(new_comment(article))
    decision = post(new_comment(article, ip_address="198.51.100.4"))
    assert decision.refusal == (
        "Duplicate comment detected; it looks as though you've already said that!"
    )
    assert Comment.objects.count() == 1


def test_the_same_post_sent_again_is_answered_with_the_comment_it_made(article):
    """Its first answer was lost (a worker killed after the commit): nginx or the reader sends
    it again, within the flood window too. Nothing new is saved and nothing is refused."""
    first = new_comment(article)
    post(first)
    again = post_screened(new_comment(article), context_for(first))
    assert (again.resent, again.comment.pk, again.refusal) == (True, first.pk, "")
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [{"ip_address": "198.51.100.4"}, {"author_email": "bea@example.com"}, {"body": "Another."}],
)
def test_a_post_that_differs_in_its_writer_or_text_is_not_taken_for_the_same(article, change):
    first = new_comment(article)
    post(first)
    result = post_screened(
        new_comment(article, **change), context_for(new_comment(article, **change))
    )
    assert not result.resent


def test_a_post_sent_again_after_its_writer_deleted_it_does_not_land_on_the_deleted_one(
    article, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    first = new_comment(article)
    post(first)
    Comment.objects.filter(pk=first.pk).update(status=Comment.Status.REMOVED)
    result = post_screened(new_comment(article), context_for(first))
    assert not result.resent and result.comment is None  # the duplicate rule decides, as before
    assert result.refusal.startswith("Duplicate comment detected")


def test_a_disallowed_word_is_spam(article, returning_email):
    ScreeningWord.objects.create(kind="disallowed", term="viagra")
    comment = new_comment(article, author_email=returning_email, body="Cheap VIAGRA here")
    assert post(comment).status == "spam"
    assert comment.history.get(kind="screening").actor_label == "rule: disallowed_words"


def test_a_moderation_word_holds_a_returning_reader(article, returning_email):
    ScreeningWord.objects.create(kind="moderation", term="steroids")
    comment = new_comment(article, author_email=returning_email, body="Are steroids safe?")
    assert post(comment).status == "pending"
    assert ("moderation_words", "hold") in steps(comment)


def test_too_many_links_hold_a_returning_reader(article, returning_email):
    body = "https://a.example https://b.example https://c.example"
    comment = new_comment(article, author_email=returning_email, body=body)
    assert post(comment).status == "pending"
    assert comment.history.get(kind="screening").actor_label == "rule: links"


def test_staff_are_published_despite_holds(article):
    staff = UserFactory(username="editor", is_staff=True)
    ScreeningWord.objects.create(kind="moderation", term="knees")
    comment = new_comment(article, user=staff, author_email="editor@example.com")
    assert post(comment).status == "approved"


def test_one_info_line_per_decision_without_email_or_ip(
    article, caplog, django_capture_on_commit_callbacks
):
    comment = new_comment(article)
    with (
        caplog.at_level(logging.INFO, logger="comments.screening"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post(comment)
    lines = [r.getMessage() for r in caplog.records if r.name == "comments.screening"]
    assert lines == [
        f"comment {comment.pk} on article {article.pk}: pending (decided by rule: first_time)"
    ]
    assert "ada@example.com" not in lines[0]
    assert "203.0.113.7" not in lines[0]
