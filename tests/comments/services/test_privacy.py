"""Commenters' personal data: retention, export and erasure (functions and command)."""

import json

import pytest
from django.core.management import CommandError, call_command

from comments.models import Comment, CommenterNetwork, CommentEvent
from comments.services.data_export import export_commenter_data
from comments.services.privacy import (
    ERASED_BODY,
    erase_commenter_data,
    scrub_expired_personal_data,
)
from tests.comments.services.privacy_people import (
    AMY,
    AMY_AGENT,
    AMY_IP,
    AMY_REFERRER,
    akismet_request,
    days_ago,
)
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


# --- Retention --------------------------------------------------------------------------------


def test_scrub_clears_request_data_of_old_comments_and_keeps_the_rest(
    amy_comment, django_assert_num_queries
):
    recent = CommentFactory(
        created_at=days_ago(10), ip_address="198.51.100.1", akismet_request=akismet_request()
    )

    # One UPDATE of the comments, one DELETE of the networks last seen as long ago and one look
    # for commenters left without comments: not one per comment.
    with django_assert_num_queries(3):
        assert scrub_expired_personal_data() == 1
    assert not CommenterNetwork.objects.filter(commenter=amy_comment.commenter).exists()
    assert CommenterNetwork.objects.filter(commenter=recent.commenter).exists()

    amy_comment.refresh_from_db()
    assert amy_comment.ip_address is None
    assert amy_comment.user_agent == ""
    assert amy_comment.referrer == ""
    assert amy_comment.scrubbed_at is not None
    request = amy_comment.akismet_request
    assert (request["user_ip"], request["user_agent"], request["referrer"]) == ("", "", "")
    # What is not request data stays: the comment as readers see it, and what Akismet needs.
    assert request["comment_content"] == "My calves twitch for hours after a run."
    assert request["blog"] == "http://testserver"
    assert amy_comment.author_email == AMY
    assert amy_comment.body == "My calves twitch for hours after a run."

    recent.refresh_from_db()
    assert recent.ip_address == "198.51.100.1"
    assert recent.akismet_request["user_ip"] == AMY_IP
    assert recent.scrubbed_at is None


def test_scrub_follows_the_retention_setting(settings):
    settings.COMMENTS_PERSONAL_DATA_DAYS = 5
    week_old = CommentFactory(created_at=days_ago(7))
    yesterday = CommentFactory(created_at=days_ago(1))

    assert scrub_expired_personal_data() == 1

    week_old.refresh_from_db()
    yesterday.refresh_from_db()
    assert week_old.ip_address is None
    assert yesterday.ip_address == "192.0.2.10"


def test_scrub_runs_once_per_comment_and_leaves_missing_akismet_keys_missing():
    never_checked = CommentFactory(created_at=days_ago(100), akismet_request={})
    partial = CommentFactory(created_at=days_ago(100), akismet_request={"user_ip": AMY_IP})

    assert scrub_expired_personal_data() == 2
    assert scrub_expired_personal_data() == 0

    never_checked.refresh_from_db()
    partial.refresh_from_db()
    assert never_checked.akismet_request == {}
    assert partial.akismet_request == {"user_ip": ""}


def test_scrub_command_reports_how_many(amy_comment, capsys):
    call_command("scrub_personal_data")
    assert "Scrubbed the personal data of 1 comment older than 60 days." in capsys.readouterr().out
    amy_comment.refresh_from_db()
    assert amy_comment.ip_address is None


# --- Export -----------------------------------------------------------------------------------


def test_export_gives_every_comment_and_stored_field_for_the_address(amy_comment, stephen_reply):
    CommentEvent.objects.record(amy_comment, note="Approved after a look", to_status="approved")
    second = CommentFactory(author_email=AMY.upper(), body="Thanks!", created_at=days_ago(3))

    data = export_commenter_data(" Amy_Loft@Hotmail.com ")

    json.dumps(data)  # ready for a file as it is
    assert [c["id"] for c in data["comments"]] == [amy_comment.pk, second.pk]
    first = data["comments"][0]
    assert first["author_email"] == AMY
    assert first["author_url"] == "https://amy.example"
    assert first["body"] == "My calves twitch for hours after a run."
    assert first["ip_address"] == AMY_IP
    assert first["user_agent"] == AMY_AGENT
    assert first["referrer"] == AMY_REFERRER
    assert first["screening"][0]["step"] == "flood"
    assert first["akismet_request"]["user_ip"] == AMY_IP
    assert first["akismet_response"]["body"] == "false"
    assert first["akismet_verdict"] == "ham"
    assert first["article"]["url"] == amy_comment.article.get_absolute_url()
    assert "Approved after a look" in [event["note"] for event in first["history"]]
    # Other people's replies are theirs, not Amy's.
    assert "Stephen" not in json.dumps(data)


def test_export_of_an_unknown_address_is_empty(amy_comment):
    assert export_commenter_data("nobody@example.com")["comments"] == []
    assert export_commenter_data("  ")["comments"] == []


def test_export_command_prints_json_or_writes_a_file(amy_comment, capsys, tmp_path):
    call_command("commenter_data", "export", AMY)
    printed = json.loads(capsys.readouterr().out)
    assert printed["comments"][0]["ip_address"] == AMY_IP

    output = tmp_path / "amy.json"
    call_command("commenter_data", "export", AMY, "--output", str(output))
    assert json.loads(output.read_text())["comments"][0]["id"] == amy_comment.pk


def test_command_says_so_when_nothing_matches(amy_comment):
    with pytest.raises(CommandError, match=r"No comments are stored for 'nobody@example\.com'"):
        call_command("commenter_data", "export", "nobody@example.com")
    with pytest.raises(CommandError, match="nothing to erase"):
        call_command("commenter_data", "erase", "nobody@example.com", "--yes")


# --- Erasure ----------------------------------------------------------------------------------


def test_erase_anonymises_and_keeps_the_thread(amy_comment, stephen_reply):
    version = amy_comment.article.comments_version

    assert erase_commenter_data(AMY) == 1

    amy_comment.refresh_from_db()
    assert amy_comment.author_name == "Anonymous"
    assert (amy_comment.author_email, amy_comment.author_url) == ("", "")
    assert (amy_comment.ip_address, amy_comment.user_agent, amy_comment.referrer) == (None, "", "")
    assert amy_comment.erased_at is not None
    assert amy_comment.body == "My calves twitch for hours after a run."  # text kept
    assert amy_comment.status == "approved"
    request = amy_comment.akismet_request
    for key in ("user_ip", "user_agent", "referrer", "comment_author", "comment_author_email",
                "comment_author_url"):  # fmt: skip
        assert request[key] == ""
    assert request["comment_content"] == "My calves twitch for hours after a run."

    # Stephen's reply still hangs under the (now anonymous) comment, untouched.
    stephen_reply.refresh_from_db()
    assert stephen_reply.parent_id == amy_comment.pk
    assert stephen_reply.thread_id == amy_comment.pk
    assert stephen_reply.author_name == "Stephen"
    assert stephen_reply.author_email == "stephen@example.com"

    # Cached pages of the article drop the old name.
    amy_comment.article.refresh_from_db()
    assert amy_comment.article.comments_version > version


def test_erase_is_recorded_in_history_without_the_erased_data(amy_comment, staff_user):
    CommentEvent.objects.record(amy_comment, note=f"Checked {AMY} from {AMY_IP}")

    erase_commenter_data(AMY, by=staff_user)

    event = amy_comment.history.filter(kind=CommentEvent.Kind.PRIVACY).get()
    assert event.note == "Personal data erased on request (text kept)"
    assert event.actor == staff_user
    everything_left = json.dumps(
        {
            "history": list(amy_comment.history.values_list("note", flat=True)),
            "comment": Comment.objects.filter(pk=amy_comment.pk).values().get(),
        },
        default=str,
    )
    for erased in (AMY, AMY_IP, AMY_AGENT, AMY_REFERRER, "amy_lofthotmail.com", "amy.example"):
        assert erased not in everything_left


def test_erase_can_remove_the_text(amy_comment):
    erase_commenter_data(AMY, remove_text=True)

    amy_comment.refresh_from_db()
    assert amy_comment.body == ERASED_BODY
    assert "removed at the author" in amy_comment.body_html
    assert "calves" not in amy_comment.body_html
    assert amy_comment.akismet_request["comment_content"] == ""
    assert amy_comment.history.last().note == "Personal data erased on request (text removed)"


def test_erase_finds_every_letter_case_and_only_that_address(amy_comment):
    other = CommentFactory(author_email="amy.other@example.com")
    shouted = CommentFactory(author_email=AMY.upper(), article=amy_comment.article)

    assert erase_commenter_data(AMY) == 2
    assert erase_commenter_data(AMY) == 0  # nothing left to find

    other.refresh_from_db()
    shouted.refresh_from_db()
    assert other.author_email == "amy.other@example.com"
    assert shouted.author_name == "Anonymous"
    assert erase_commenter_data("") == 0


def test_erase_command_asks_first(amy_comment, monkeypatch, capsys):
    monkeypatch.setattr("builtins.input", lambda question: "no")
    with pytest.raises(CommandError, match="Nothing erased"):
        call_command("commenter_data", "erase", AMY)
    amy_comment.refresh_from_db()
    assert amy_comment.author_email == AMY

    monkeypatch.setattr("builtins.input", lambda question: "yes")
    call_command("commenter_data", "erase", AMY, "--remove-text")
    assert "Erased the personal data of 1 comment (text removed)." in capsys.readouterr().out
    amy_comment.refresh_from_db()
    assert (amy_comment.author_name, amy_comment.body) == ("Anonymous", ERASED_BODY)
    assert amy_comment.history.last().actor_label == "manage.py commenter_data"


def test_erase_command_with_yes_does_not_ask(amy_comment, monkeypatch):
    def no_questions(question):
        raise AssertionError("asked although --yes was given")

    monkeypatch.setattr("builtins.input", no_questions)
    call_command("commenter_data", "erase", AMY, "--yes")
    amy_comment.refresh_from_db()
    assert amy_comment.author_name == "Anonymous"
    assert amy_comment.body == "My calves twitch for hours after a run."


def test_an_unrelated_article_keeps_its_thread_version(amy_comment):
    elsewhere = ArticleFactory()
    erase_commenter_data(AMY)
    elsewhere.refresh_from_db()
    assert elsewhere.comments_version == 0


# --- What readers see after an erasure --------------------------------------------------------


def test_readers_see_the_erased_name_at_once_even_with_the_thread_cached(
    amy_comment, stephen_reply, client
):
    url = amy_comment.article.get_absolute_url()
    assert "amy_lofthotmail.com" in client.get(url).content.decode()  # now cached

    erase_commenter_data(AMY)

    page = client.get(url).content.decode()
    assert "Anonymous" in page
    assert "amy_lofthotmail.com</b>" not in page
    assert "Reply to amy_lofthotmail.com" not in page
    assert "magnesium helped me" in page  # Stephen's reply is still there


def test_erase_works_field_by_field_and_keeps_the_akismet_permalink(article, settings):
    """An IP that is part of the site's address (a laptop's 127.0.0.1) must not be replaced
    inside the Akismet copy's permalink and blog: only the personal fields are cleared."""
    site = "http://127.0.0.1:8000"
    comment = CommentFactory(
        article=article,
        author_email=AMY,
        author_name="Amy Loft",
        ip_address="127.0.0.1",
        status="approved",
        screening=[{"step": "flood", "verdict": "pass", "reason": "Amy Loft from 127.0.0.1"}],
        akismet_request=akismet_request(
            user_ip="127.0.0.1",
            blog=site,
            permalink=f"{site}/articles/why/",
            comment_author="Amy Loft",
        ),
    )

    erase_commenter_data(AMY)

    comment.refresh_from_db()
    request = comment.akismet_request
    assert request["permalink"] == f"{site}/articles/why/"
    assert request["blog"] == site
    assert request["user_ip"] == request["comment_author"] == request["comment_author_email"] == ""
    # Free text (a screening reason) is searched for what identified the commenter.
    assert comment.screening[0]["reason"] == "[erased] from [erased]"
    assert comment.screening[0]["step"] == "flood"


def test_erase_leaves_mentions_in_other_peoples_replies(amy_comment, stephen_reply):
    """The privacy page says so: another person's reply is theirs."""
    erase_commenter_data(AMY)

    stephen_reply.refresh_from_db()
    assert stephen_reply.body == "@amy_lofthotmail.com: magnesium helped me."


def test_a_removed_comment_stays_stored_until_erasure(article):
    """The privacy page: a comment a moderator removed is kept (not shown) until erased."""
    from comments.services.housekeeping import purge_spam

    removed = CommentFactory(article=article, status="removed", status_changed_at=days_ago(400))
    purge_spam()
    scrub_expired_personal_data()
    removed.refresh_from_db()
    assert removed.body and removed.author_email
