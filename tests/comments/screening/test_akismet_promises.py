"""What the privacy page promises about Akismet, held against the code that talks to it:

* what Akismet receives is SENT_TO_AKISMET, the definition the page lists (what the emulator
  really received on the wire included);
* a comment posted while Akismet was off is never sent, not by a recheck, a report or the
  scheduler, even once a key is set.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import AkismetReport, Comment
from comments.screening import akismet
from comments.services import rechecks
from comments.services.status import mark_ham
from tests.comments.screening_helpers import context_for, new_comment, post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_request_builder_sends_exactly_the_names_the_page_lists(article, akismet_settings):
    """build_request sends only names of SENT_TO_AKISMET (it filters by them), and every name
    there but the client's own `blog` is one it sends: a field promised on the page and no
    longer built, or a new one built without being declared (so dropped), fails this."""
    moderator = UserFactory(is_staff=True, is_superuser=True)
    comment = new_comment(article, user=moderator, author_url="https://ada.example")
    comment.created_at = timezone.now()
    sent = akismet.build_request(comment, context_for(comment, user=moderator))

    assert set(sent) == set(akismet.SENT_TO_AKISMET) - {"blog"}


def test_what_akismet_receives_on_the_wire_is_in_the_definition(article, akismet_emulator):
    comment = new_comment(article)
    post(comment)

    (request,) = akismet_emulator.requests_to("/1.1/comment-check")
    received = set(request["fields"]) - {"api_key"}  # the site's own key, nothing of a reader
    assert received <= set(akismet.SENT_TO_AKISMET), received - set(akismet.SENT_TO_AKISMET)
    for personal in ("user_ip", "user_agent", "referrer", "comment_author",
                     "comment_author_email", "comment_content", "comment_date_gmt"):  # fmt: skip
        assert personal in received


# --- Posted while off: never sent ---------------------------------------------------------------


@pytest.fixture
def posted_while_off(article, settings):
    settings.AKISMET_API_KEY = ""
    comment = new_comment(article)
    post(comment)
    comment.refresh_from_db()
    return comment


@pytest.fixture
def posted_while_off_caught_by_honeypot(article, settings):
    settings.AKISMET_API_KEY = ""
    comment = new_comment(article, author_email="bot@example.com", ip_address="198.51.100.9")
    post(comment, context_for(comment, honeypot="http://spam.example"))
    comment.refresh_from_db()
    return comment


def test_comments_posted_while_off_are_marked_off(
    posted_while_off, posted_while_off_caught_by_honeypot
):
    assert posted_while_off.akismet_verdict == Comment.Akismet.OFF
    # The honeypot ends screening before the Akismet step; the comment is still marked.
    assert posted_while_off_caught_by_honeypot.status == Comment.Status.SPAM
    assert posted_while_off_caught_by_honeypot.akismet_verdict == Comment.Akismet.OFF


def test_a_key_added_later_never_rechecks_them(posted_while_off, akismet_emulator, moderator):
    verdict = rechecks.recheck(posted_while_off, by=moderator)

    assert verdict == Comment.Akismet.OFF
    assert akismet_emulator.requests == []
    assert posted_while_off.history.last().note == (
        "Not rechecked: it was posted while Akismet was off, and is never sent to it."
    )
    posted_while_off.refresh_from_db()
    assert posted_while_off.akismet_request == {}


def test_a_key_added_later_never_reports_them(
    posted_while_off_caught_by_honeypot, akismet_emulator, moderator
):
    spam = posted_while_off_caught_by_honeypot
    assert mark_ham(spam, by=moderator)  # a moderator's correction...

    report = AkismetReport.objects.get(comment=spam)
    assert report.status == AkismetReport.Status.SKIPPED  # ...is not sent
    assert akismet_emulator.requests == []
    notes = list(spam.history.values_list("note", flat=True))
    assert (
        "Not reported as ham to Akismet: it was posted while Akismet was off, "
        "and is never sent to it." in notes
    )


def test_the_scheduler_never_sends_an_old_report_of_theirs(
    posted_while_off, akismet_emulator, moderator
):
    # A report scheduled before the guard existed, due now.
    report = AkismetReport.objects.create(
        comment=posted_while_off, kind="spam", next_attempt_at=timezone.now() - timedelta(1)
    )
    posted_while_off.akismet_verdict = Comment.Akismet.OFF
    done = rechecks.process_due()

    assert done["skipped"] == 1 and done["reported"] == 0
    report.refresh_from_db()
    assert report.status == AkismetReport.Status.SKIPPED
    assert akismet_emulator.requests == []


def test_comments_posted_while_on_are_still_rechecked(article, akismet_emulator, moderator):
    comment = new_comment(article)
    post(comment)
    akismet_emulator.reset()

    rechecks.recheck(comment, by=moderator)

    assert len(akismet_emulator.requests_to("/1.1/comment-check")) == 1
