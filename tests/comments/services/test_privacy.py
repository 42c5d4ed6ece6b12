"""Commenters' personal data: retention, export and erasure (functions and command)."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommenterNetwork, CommentEvent
from comments.services.data_export import export_commenter_data
from comments.services.privacy import (
    ERASED_BODY,
    erase_commenter_data,
    scrub_expired_personal_data,
)
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

AMY = "amy_loft@hotmail.com"
AMY_IP = "203.0.113.7"
AMY_AGENT = "Mozilla/5.0 (Amy's laptop) Firefox/130.0"
AMY_REFERRER = "https://search.example/?q=muscle+twitch"


def akismet_request(**overrides):
    """What the screening stores: exactly what was sent to Akismet."""
    return {
        "blog": "http://testserver",
        "user_ip": AMY_IP,
        "user_agent": AMY_AGENT,
        "referrer": AMY_REFERRER,
        "permalink": "http://testserver/articles/why/",
        "comment_type": "comment",
        "comment_author": "amy_lofthotmail.com",
        "comment_author_email": AMY,
        "comment_author_url": "https://amy.example",
        "comment_content": "My calves twitch for hours after a run.",
        **overrides,
    }


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def amy_comment(article):
    return CommentFactory(
        article=article,
        author_name="amy_lofthotmail.com",
        author_email=AMY,
        author_url="https://amy.example",
        body="My calves twitch for hours after a run.",
        ip_address=AMY_IP,
        user_agent=AMY_AGENT,
        referrer=AMY_REFERRER,
        status="approved",
        created_at=days_ago(90),
        screening=[{"step": "flood", "verdict": "pass", "reason": f"{AMY} posted once", "ms": 1}],
        akismet_verdict="ham",
        akismet_request=akismet_request(),
        akismet_response={"body": "false", "headers": {"X-akismet-guid": "abc"}},
    )


@pytest.fixture
def stephen_reply(amy_comment):
    return CommentFactory(
        parent=amy_comment,
        author_name="Stephen",
        author_email="stephen@example.com",
        body="@amy_lofthotmail.com: magnesium helped me.",
        status="approved",
        created_at=days_ago(89),
    )


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


# --- The "remember me" cookie -----------------------------------------------------------------


@pytest.fixture
def posting(settings, client, article):
    """Send the Leave a Reply form as a reader would; returns the response."""
    from comments.web.forms import sign_timestamp

    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    sent = iter(range(1000))

    def post(**fields):
        data = {
            "comment": f"Comment number {next(sent)} about recovery.",
            "name": "Robin",
            "email": "robin@example.com",
            "website": "https://robin.example",
            "timestamp": sign_timestamp(article.pk),
            **fields,
        }
        return client.post(reverse("comments:post", args=[article.pk]), data)

    return post


def remembered(response):
    """The remember-me cookie the response stores, decoded: None if it stores none (not set,
    or deleted)."""
    from django.http import HttpRequest

    from comments.readers.cookies import AUTHOR_COOKIE, AUTHOR_COOKIE_SALT

    morsel = response.cookies.get(AUTHOR_COOKIE)
    if morsel is None or not morsel.value:
        return None
    request = HttpRequest()
    request.COOKIES[AUTHOR_COOKIE] = morsel.value
    return json.loads(request.get_signed_cookie(AUTHOR_COOKIE, salt=AUTHOR_COOKIE_SALT))


def test_remember_cookie_is_set_only_when_ticked(posting):
    response = posting()
    assert response.status_code == 302
    assert remembered(response) is None


def test_remember_cookie_holds_only_name_email_and_website(posting):
    from comments.readers.cookies import AUTHOR_COOKIE

    response = posting(remember="on")

    assert remembered(response) == {
        "name": "Robin",
        "email": "robin@example.com",
        "website": "https://robin.example",
    }
    morsel = response.cookies[AUTHOR_COOKIE]
    assert morsel["httponly"]
    assert morsel["samesite"] == "Lax"


def test_remember_cookie_fills_the_form_next_time(posting, client, article):
    posting(remember="on")
    page = client.get(article.get_absolute_url() + "?mine=1").content.decode()  # without script
    assert 'value="robin@example.com"' in page
    assert 'value="https://robin.example"' in page
    mine = client.get(reverse("comments:mine", args=[article.pk])).json()  # with the script
    assert mine["author"]["email"] == "robin@example.com"


def test_remember_cookie_is_cleared_when_unticked(posting, client):
    from comments.readers.cookies import AUTHOR_COOKIE

    posting(remember="on")
    assert AUTHOR_COOKIE in client.cookies

    response = posting()  # the box left unticked this time

    assert remembered(response) is None
    assert response.cookies[AUTHOR_COOKIE]["max-age"] == 0
    assert not client.cookies[AUTHOR_COOKIE].value


def test_a_form_with_errors_sets_no_cookie(posting):
    response = posting(remember="on", email="not-an-email")
    assert response.status_code == 400
    assert remembered(response) is None


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


# --- The admin --------------------------------------------------------------------------------

CHANGELIST = "admin:comments_comment_changelist"


def changelist(query="status=all"):
    return f"{reverse(CHANGELIST)}?{query}"


def test_admin_export_action_downloads_the_json_of_the_selected_addresses(
    admin_client, amy_comment, stephen_reply
):
    response = admin_client.post(
        changelist(),
        {"action": "export_commenter_data_action", "_selected_action": [amy_comment.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="commenter-data-')
    data = json.loads(response.content)
    [amy] = data["commenters"]
    assert amy["email"] == AMY
    assert [c["ip_address"] for c in amy["comments"]] == [AMY_IP]
    assert "stephen@example.com" not in response.content.decode()


def test_admin_erase_action_asks_first_then_erases(admin_client, amy_comment, stephen_reply):
    selected = {"action": "erase_commenter_data_action", "_selected_action": [amy_comment.pk]}

    confirmation = admin_client.post(changelist(), selected)

    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Erase the personal data of <strong>1 comment</strong>" in page
    assert f"{AMY}: 1 comment" in page
    assert 'name="remove_text"' in page
    assert "Also remove the text" in page
    amy_comment.refresh_from_db()
    assert amy_comment.author_email == AMY  # nothing yet

    response = admin_client.post(
        changelist(), {**selected, "post": "yes", "remove_text": "on"}, follow=True
    )

    assert "Erased the personal data of 1 comment from 1 address (text removed)." in (
        response.content.decode()
    )
    amy_comment.refresh_from_db()
    assert (amy_comment.author_name, amy_comment.body) == ("Anonymous", ERASED_BODY)
    assert amy_comment.history.last().actor.is_superuser
    stephen_reply.refresh_from_db()
    assert stephen_reply.author_email == "stephen@example.com"


def test_admin_erase_of_an_already_erased_comment_says_there_is_no_address(
    admin_client, amy_comment
):
    erase_commenter_data(AMY)
    response = admin_client.post(
        changelist(),
        {"action": "erase_commenter_data_action", "_selected_action": [amy_comment.pk]},
        follow=True,
    )
    assert "None of the selected comments has an email address" in response.content.decode()


def test_admin_shows_and_filters_which_comments_were_scrubbed(admin_client, amy_comment):
    recent = CommentFactory(created_at=days_ago(1), status="approved")
    erased = CommentFactory(author_email="gone@example.com", status="approved")
    scrub_expired_personal_data()
    erase_commenter_data("gone@example.com")

    def listed(query):
        response = admin_client.get(changelist(f"status=all&{query}"))
        return {comment.pk for comment in response.context["cl"].result_list}, response

    assert listed("personal_data=kept")[0] == {recent.pk}
    assert listed("personal_data=scrubbed")[0] == {amy_comment.pk}
    assert listed("personal_data=erased")[0] == {erased.pk}
    page = listed("")[1].content.decode()
    assert f"scrubbed {timezone.now().date().isoformat()}" in page
    assert "Personal data" in page or "personal data" in page


def test_privacy_actions_need_the_moderate_permission(client, amy_comment):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)

    page = client.get(changelist()).content.decode()

    assert "erase_commenter_data_action" not in page
    assert "export_commenter_data_action" not in page


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


def test_the_pending_cookie_holds_only_the_last_ids_signed(rf):
    """The privacy page: the numbers of the reader's held comments, the last PENDING_CAP."""
    from django.http import HttpResponse

    from comments.readers.cookies import (
        PENDING_CAP,
        PENDING_COOKIE,
        PENDING_COOKIE_MAX_AGE,
        PENDING_COOKIE_SALT,
        remember_pending,
    )

    request = rf.get("/")
    response = HttpResponse()
    for pk in range(1, PENDING_CAP + 6):
        remember_pending(request, response, Comment(pk=pk, status="pending"))
        request.COOKIES[PENDING_COOKIE] = response.cookies[PENDING_COOKIE].value

    cookie = response.cookies[PENDING_COOKIE]
    assert cookie["max-age"] == PENDING_COOKIE_MAX_AGE
    value = request.get_signed_cookie(PENDING_COOKIE, salt=PENDING_COOKIE_SALT)
    assert value == ",".join(str(pk) for pk in range(6, PENDING_CAP + 6))  # ids, nothing else
    assert cookie.value != value  # signed: the reader cannot change it


def test_a_removed_comment_stays_stored_until_erasure(article):
    """The privacy page: a comment a moderator removed is kept (not shown) until erased."""
    from comments.services.housekeeping import purge_spam

    removed = CommentFactory(article=article, status="removed", status_changed_at=days_ago(400))
    purge_spam()
    scrub_expired_personal_data()
    removed.refresh_from_db()
    assert removed.body and removed.author_email
