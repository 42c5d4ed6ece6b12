"""Why a comment was held, in the words a moderator reads (`verdicts.in_words`), from what the
rules record: the same words in the queue's row and the moderators' email."""

import pytest

from comments.models import Comment, ScreeningWord
from comments.screening import rules
from comments.screening.pipeline import ScreeningContext
from comments.screening.verdicts import in_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(article):
    return Comment(
        article=article,
        author_name="Ada Reader",
        author_email="ada@example.com",
        body="Warming up first made my knees stop aching.",
        ip_address="203.0.113.7",
    )


def said(verdict):
    """The verdict as the pipeline records it, then read back in words."""
    return in_words(verdict.as_record(0.1))


def test_a_first_comment_reads_as_the_first_from_this_address(comment):
    assert said(rules.first_time(comment, ScreeningContext())) == "First comment from this address"


def test_links_read_as_their_count(comment, settings):
    settings.COMMENTS_MAX_LINKS = 2
    comment.body = "https://a.example https://b.example www.c.example"
    assert said(rules.links(comment, ScreeningContext())) == "3 links"


def test_a_quick_form_reads_as_its_seconds(comment, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 3
    verdict = rules.timing(comment, ScreeningContext(form_age=1.23))
    assert said(verdict) == "Sent 1.2 s after the form was shown"


def test_a_moderation_word_reads_with_where_it_was_found(comment):
    ScreeningWord.objects.create(kind=ScreeningWord.Kind.MODERATION, term="knees")
    verdict = rules.moderation_words(comment, ScreeningContext())
    assert said(verdict) == "Moderation word “knees” in the text"


@pytest.mark.parametrize(
    "answer, words",
    [
        ("spam", "Akismet: spam"),
        ("blatant", "Akismet: blatant spam"),
        ("unchecked", "Akismet: not reached, rechecked later"),
    ],
)
def test_akismet_reads_as_its_answer(answer, words):
    assert in_words({"step": "akismet", "verdict": answer, "reason": "Akismet says so"}) == words


def test_a_record_from_before_the_facts_reads_as_its_reason():
    old = {"step": "links", "verdict": "hold", "reason": "4 links (more than 2)"}
    assert in_words(old) == "4 links (more than 2)"
    unknown = {"step": "a_retired_rule", "verdict": "hold", "reason": "something odd"}
    assert in_words(unknown) == "Something odd"


def test_the_code_stays_the_steps_name_for_filters(comment):
    record = rules.first_time(comment, ScreeningContext()).as_record(0.1)
    assert record["step"] == "first_time"
