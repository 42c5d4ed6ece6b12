"""Akismet through the real client over real HTTP, against the local emulator."""

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.urls import reverse

from comments.models import AkismetReport, Comment
from comments.screening import akismet
from comments.services import akismet_reports, rechecks
from tests.comments.screening_helpers import context_for, new_comment, post
from tests.conftest import SITE_URL, TEST_KEY
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHECK = "/1.1/comment-check"


def test_every_field_we_have_is_on_the_wire(akismet_emulator, article):
    parent = CommentFactory(article=article, status="approved")
    comment = new_comment(article, parent=parent, author_url="https://ada.example")
    post(comment)
    (request,) = akismet_emulator.requests_to(CHECK)
    fields = request["fields"]
    assert fields["api_key"] == TEST_KEY
    assert fields["blog"] == SITE_URL
    assert fields["user_ip"] == "203.0.113.7"
    assert fields["user_agent"] == "Mozilla/5.0 Firefox/130.0"
    assert fields["referrer"] == "http://fitness.example/articles/"
    assert fields["permalink"] == SITE_URL + article.get_absolute_url()
    assert fields["comment_type"] == "reply"
    assert fields["comment_author"] == "Ada Reader"
    assert fields["comment_author_email"] == "ada@example.com"
    assert fields["comment_author_url"] == "https://ada.example"
    assert fields["comment_content"] == "Warming up first made my knees stop aching."
    assert fields["comment_date_gmt"] == comment.created_at.isoformat(timespec="seconds")
    assert fields["comment_post_modified_gmt"].startswith(str(article.updated_at.date()))
    assert fields["blog_lang"] == "en"
    assert fields["blog_charset"] == "UTF-8"
    assert fields["honeypot_field_name"] == "contact_me_by_fax_only"
    assert fields["is_test"] == "1"
    assert "user_role" not in fields
    assert request["headers"]["User-Agent"].startswith("akismet.py")


def test_a_top_level_comment_is_a_comment(akismet_emulator, article):
    post(new_comment(article))
    assert akismet_emulator.requests_to(CHECK)[0]["fields"]["comment_type"] == "comment"


def test_is_test_is_not_sent_in_production(akismet_emulator, article, settings):
    settings.AKISMET_IS_TEST = False
    post(new_comment(article))
    assert "is_test" not in akismet_emulator.requests_to(CHECK)[0]["fields"]


def test_staff_are_sent_as_administrators(akismet_emulator, article):
    staff = UserFactory(username="editor", is_staff=True)
    comment = new_comment(article, user=staff)
    assert post(comment, context_for(comment)).status == "approved"
    assert akismet_emulator.requests_to(CHECK)[0]["fields"]["user_role"] == "administrator"
    assert comment.akismet_verdict == "ham"


def test_what_was_sent_and_what_came_back_are_stored(akismet_emulator, article, returning_email):
    comment = new_comment(article, author_email=returning_email)
    post(comment)
    comment.refresh_from_db()
    sent = akismet_emulator.requests_to(CHECK)[0]["fields"]
    stored = comment.akismet_request
    assert {k: str(v) for k, v in stored.items()} == {
        k: v for k, v in sent.items() if k not in ("api_key", "blog")
    }
    assert comment.akismet_verdict == "ham"
    assert comment.akismet_response["verdict"] == "ham"
    assert len(comment.akismet_response["guid"]) == 32
    assert comment.akismet_response["ms"] >= 0
    assert comment.akismet_checked_at is not None


def test_ham_from_a_returning_reader_is_published(akismet_emulator, article, returning_email):
    comment = new_comment(article, author_email=returning_email)
    assert post(comment).status == "approved"
    assert comment.history.get(kind="screening").actor_label == "Akismet"


def test_ham_from_a_first_time_reader_is_still_held(akismet_emulator, article):
    comment = new_comment(article)
    assert post(comment).status == "pending"
    assert comment.akismet_verdict == "ham"


def test_guaranteed_spam_lands_in_spam(akismet_emulator, article, returning_email):
    comment = new_comment(
        article, author_name="akismet-guaranteed-spam", author_email=returning_email
    )
    assert post(comment).status == "spam"
    comment.refresh_from_db()
    assert comment.status == "spam"
    assert comment.akismet_verdict == "spam"
    assert comment.history.get(kind="screening").actor_label == "Akismet"


def test_a_held_first_timer_that_akismet_calls_spam_goes_to_spam(akismet_emulator, article):
    comment = new_comment(article, author_email="akismet-guaranteed-spam@example.com")
    assert post(comment).status == "spam"


def test_discard_is_spam_flagged_blatant(akismet_emulator, article):
    comment = new_comment(article, author_name="akismet-guaranteed-discard")
    assert post(comment).status == "spam"
    comment.refresh_from_db()
    assert comment.akismet_verdict == "blatant"
    assert comment.akismet_response["pro_tip"] == "discard"
    assert comment.history.get(kind="screening").note.startswith("Blatant spam.")


def test_local_spam_is_not_sent_to_akismet(akismet_emulator, article):
    comment = new_comment(article)
    post(comment, context_for(comment, honeypot="x"))
    assert akismet_emulator.requests_to(CHECK) == []


def test_the_client_is_built_once_without_a_network_call(akismet_emulator):
    akismet.reset_client()
    first = akismet.get_client()
    assert akismet.get_client() is first
    assert akismet_emulator.requests == []


# --- Reports ---------------------------------------------------------------------------------


def test_a_spam_report_sends_the_same_fields_as_the_check(
    akismet_emulator, article, returning_email, django_capture_on_commit_callbacks
):
    comment = new_comment(article, author_email=returning_email)
    post(comment)
    with django_capture_on_commit_callbacks(execute=True):
        report = akismet_reports.schedule_report(comment, "spam")
    report.refresh_from_db()
    assert report.status == "sent"
    assert report.sent_at is not None
    check = akismet_emulator.requests_to(CHECK)[0]["fields"]
    (submit,) = akismet_emulator.requests_to("/1.1/submit-spam")
    assert submit["fields"] == check
    assert comment.history.filter(kind="akismet_report").last().note == (
        "Reported to Akismet as spam."
    )


def test_a_ham_report_goes_to_submit_ham(
    akismet_emulator, article, django_capture_on_commit_callbacks
):
    comment = new_comment(article, author_name="akismet-guaranteed-spam")
    post(comment)
    moderator = UserFactory(username="mod", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        report = akismet_reports.schedule_report(comment, "ham", by=moderator)
    assert len(akismet_emulator.requests_to("/1.1/submit-ham")) == 1
    report.refresh_from_db()
    assert (report.status, report.by) == ("sent", moderator)


def test_a_failed_report_is_retried_later_with_the_same_fields(
    akismet_emulator, article, django_capture_on_commit_callbacks
):
    comment = new_comment(article)
    post(comment)
    akismet_emulator.misbehave("error500", count=1, path="/1.1/submit-spam")
    with django_capture_on_commit_callbacks(execute=True):
        report = akismet_reports.schedule_report(comment, "spam")
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("pending", 1)
    assert "500" in report.last_error
    assert report.next_attempt_at is not None

    rechecks.process_due(now=report.next_attempt_at)
    report.refresh_from_db()
    assert report.status == "sent"
    first, second = akismet_emulator.requests_to("/1.1/submit-spam")
    assert first["fields"] == second["fields"]


def test_without_a_key_a_report_records_that_nothing_was_sent(article):
    comment = CommentFactory(article=article)
    report = akismet_reports.schedule_report(comment, "spam")
    assert report.status == AkismetReport.Status.SKIPPED
    assert "Akismet is off" in comment.history.get(kind="akismet_report").note


def test_schedule_report_never_raises(article, akismet_settings):
    comment = CommentFactory(article=article)
    assert akismet_reports.schedule_report(comment, "not-a-kind-that-fits-the-column") is None


# --- The owner's view ------------------------------------------------------------------------


def test_without_a_key_the_owner_is_warned():
    assert akismet.owner_warnings() == [
        "Akismet is off: no AKISMET_API_KEY is set; comments are screened by local rules only."
    ]
    assert [m.id for m in run_checks() if m.id.startswith("comments.")] == ["comments.W001"]


def test_with_a_key_there_is_no_warning(akismet_emulator):
    assert akismet.owner_warnings() == []
    assert not [m for m in run_checks() if m.id.startswith("comments.")]


def test_a_site_url_without_a_scheme_is_an_error(akismet_emulator, settings):
    settings.AKISMET_SITE_URL = "fitness.example"
    assert "comments.E002" in [m.id for m in run_checks()]


def test_deploy_check_verifies_the_key(akismet_emulator, settings):
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "comments.E001"]
    settings.AKISMET_API_KEY = "invalid-key"
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "comments.E001" in ids


def test_akismet_status_reports_key_and_usage(akismet_emulator, article, capsys):
    post(new_comment(article))
    call_command("akismet_status")
    out = capsys.readouterr().out
    assert "Key: valid" in out
    assert "Usage this month: 1 of 350000 calls" in out
    assert "Unchecked comments: 0" in out


def test_akismet_status_fails_loudly_on_a_rejected_key(akismet_emulator, settings):
    settings.AKISMET_API_KEY = "invalid-key"
    with pytest.raises(CommandError, match="rejected the API key"):
        call_command("akismet_status")
    assert "Akismet rejected the API key" in akismet.owner_warnings()[0]


def test_akismet_status_without_a_key(capsys):
    call_command("akismet_status")
    assert "Akismet is off" in capsys.readouterr().out


def test_a_rejected_key_holds_comments_and_warns_the_owner(
    akismet_emulator, article, settings, caplog, returning_email
):
    settings.AKISMET_API_KEY = "invalid-key"
    comment = new_comment(article, author_email=returning_email)
    assert post(comment).status == "pending"
    assert comment.akismet_verdict == Comment.Akismet.UNCHECKED
    assert any(
        r.levelname == "ERROR" and "rejected the API key" in r.getMessage() for r in caplog.records
    )
    warnings = akismet.owner_warnings()
    assert warnings[0].startswith("Akismet rejected the API key")
    assert "1 comment could not be checked" in warnings[1]


# --- Through the reader's form ---------------------------------------------------------------


def post_form(client, article, data, address="203.0.113.7"):
    url = reverse("comments:post", args=[article.pk])
    return client.post(url, data, REMOTE_ADDR=address, HTTP_USER_AGENT="Firefox/130.0")


def test_through_the_form_spam_lands_in_spam(akismet_emulator, client, article, comment_form_data):
    data = comment_form_data(article, name="akismet-guaranteed-spam")
    before = Comment.objects.count()
    response = post_form(client, article, data)
    assert response.status_code == 302
    assert Comment.objects.count() == before + 1
    assert Comment.objects.latest("pk").status == "spam"
    sent = akismet_emulator.requests_to(CHECK)[0]["fields"]
    assert sent["user_ip"] == "203.0.113.7"
    assert sent["user_agent"] == "Firefox/130.0"


def test_through_the_form_a_first_time_reader_is_held_and_a_returning_one_published(
    akismet_emulator, client, article, comment_form_data, returning_email
):
    post_form(client, article, comment_form_data(article, email="new@example.com"))
    assert Comment.objects.latest("pk").status == "pending"
    data = comment_form_data(article, email=returning_email, comment="Back again!")
    post_form(client, article, data, address="198.51.100.4")
    assert Comment.objects.latest("pk").status == "approved"


def test_through_the_form_with_akismet_down_the_post_is_kept_and_settled_later(
    akismet_emulator, client, article, comment_form_data, returning_email, settings, closed_port
):
    settings.AKISMET_API_URL = f"http://127.0.0.1:{closed_port}"  # the emulator is "stopped"
    before = Comment.objects.count()
    response = post_form(client, article, comment_form_data(article, email=returning_email))
    assert response.status_code == 302
    assert Comment.objects.count() == before + 1
    comment = Comment.objects.latest("pk")
    assert (comment.status, comment.akismet_verdict) == ("pending", "unchecked")

    settings.AKISMET_API_URL = akismet_emulator.url
    rechecks.process_due(now=comment.akismet_next_check_at)
    comment.refresh_from_db()
    assert (comment.status, comment.akismet_verdict) == ("approved", "ham")


def test_through_the_form_a_refusal_keeps_the_text(
    akismet_emulator, client, article, comment_form_data
):
    post_form(client, article, comment_form_data(article))
    data = comment_form_data(article, email="other@example.com", comment="My second thought")
    response = post_form(client, article, data)
    assert response.status_code == 400
    assert "You are posting comments too quickly" in response.content.decode()
    assert "My second thought" in response.content.decode()
    assert Comment.objects.count() == 1
