"""The people in the admin: a queue row's counts and filter links, the commenter's page (a
fixed number of queries, paginated), banning from the row's dialog or page (undone as one
action), lifting, notes and trust, each for moderators only and each in the history."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.admin import people, profile
from comments.models import Ban, Comment, Commenter, CommenterNote
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def page_url(commenter):
    return reverse("admin:comments_commenter_change", args=[commenter.pk])


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


@pytest.fixture
def rui(article):
    made = [
        CommentFactory(article=article, author_name="Rui", author_email="rui@example.com",
                       ip_address="198.51.100.7", status=status)
        for status in ["approved"] * 4 + ["spam", "pending"]
    ]  # fmt: skip
    return made[-1].commenter


def test_a_row_shows_the_authors_counts_linking_to_their_page(moderator_client, rui):
    html = moderator_client.get(QUEUE).content.decode()
    assert f'href="{page_url(rui)}" data-key="p"' in html
    assert ">4 approved · 1 spam</a>" in html  # the rest is on their page
    assert 'href="/admin/comments/comment/?status=all&amp;email=rui%40example.com"' in html
    assert 'href="/admin/comments/comment/?status=all&amp;network=198.51.100.7"' in html


def test_the_email_network_and_commenter_links_filter_every_status(moderator_client, rui, article):
    other = CommentFactory(article=article, author_email="x@example.com", ip_address="192.0.2.9")
    for params in (
        {"status": "all", "email": "RUI@example.com"},
        {"status": "all", "network": "198.51.100.7"},
        {"status": "all", "commenter": str(rui.pk)},
    ):
        shown = moderator_client.get(QUEUE, params).context["cl"].result_list
        assert {c.commenter_id for c in shown} == {rui.pk}, params
        assert len(shown) == 6 and other not in shown


def test_an_ipv6_network_link_finds_every_address_in_the_64(moderator_client, article):
    made = [
        CommentFactory(article=article, author_email="", ip_address=f"2001:db8:5::{i}")
        for i in (1, 2)
    ]
    CommentFactory(article=article, author_email="", ip_address="2001:db8:6::1")
    shown = moderator_client.get(QUEUE, {"status": "all", "network": "2001:db8:5::/64"})
    assert sorted(c.pk for c in shown.context["cl"].result_list) == sorted(c.pk for c in made)


def test_the_queue_costs_the_same_queries_with_counts_for_5_and_50_authors(
    moderator_client, article
):
    CommentFactory.create_batch(5, article=article)
    queries(moderator_client, QUEUE, status="all")  # the Site settings row, read once and cached
    five, _ = queries(moderator_client, QUEUE, status="all")
    CommentFactory.create_batch(45, article=article)  # 45 more commenters, 50 rows
    assert queries(moderator_client, QUEUE, status="all")[0] == five


def test_the_commenter_page_shows_everything_with_a_fixed_number_of_queries(
    moderator_client, rui, article, moderator
):
    CommentFactory(article=article, author_name="Rui P.", author_email="RUI@example.com",
                   ip_address="2001:db8:1::5", status="removed")  # fmt: skip
    moderator_client.get(page_url(rui))  # the Site settings row, read once and cached
    few, response = queries(moderator_client, page_url(rui))
    html = response.content.decode()
    for text in ("Rui P.", "RUI@example.com", "198.51.100.7", "2001:db8:1::/64", "4 approved",
                 "1 spam", "1 pending", "1 removed", "Never banned", "No notes."):  # fmt: skip
        assert text in html, text
    assert len(response.context["rows"]) == 7  # every status
    CommentFactory.create_batch(
        80, article=article, author_email="rui@example.com", status="approved"
    )
    many, response = queries(moderator_client, page_url(rui))
    assert many == few
    assert len(response.context["rows"]) == profile.PER_PAGE  # paginated
    assert response.context["page"].paginator.count == 87
    last = moderator_client.get(page_url(rui), {profile.PAGE_PARAM: 4})
    assert len(last.context["rows"]) == 87 - 3 * profile.PER_PAGE


def test_linked_commenters_are_one_click_away(moderator_client, rui, article):
    sock = CommentFactory(article=article, author_name="Someone", author_email="sock@example.com",
                          ip_address="198.51.100.7").commenter  # fmt: skip
    tagged = CommentFactory(article=article, author_name="Other", author_email="rui+x@example.com",
                            ip_address="192.0.2.50").commenter  # fmt: skip
    named = CommentFactory(article=article, author_name="RUI", author_email="r@example.org",
                           ip_address="192.0.2.51").commenter  # fmt: skip
    linked = dict(moderator_client.get(page_url(rui)).context["linked"])
    assert linked == {
        sock: "the same network",
        tagged: "the same mailbox spelt otherwise",
        named: "the same name",
    }


def test_the_ban_dialog_offers_the_email_and_network_with_what_they_would_remove(
    moderator_client, rui
):
    held = Comment.objects.get(commenter=rui, status="pending")
    url = people.ban_url(rui.pk, held)
    answer = moderator_client.get(url, **FETCH).json()
    assert "the email rui@example.com (1 pending)" in answer["html"]
    assert "the network 198.51.100.7 (1 pending)" in answer["html"]
    page = moderator_client.get(url)  # the same form as a page, without JavaScript
    assert b'id="ban-form"' in page.content and b"<h1>" in page.content


def test_ban_from_the_row_removes_pending_and_undo_takes_all_back(moderator_client, rui, moderator):
    held = Comment.objects.get(commenter=rui, status="pending")
    response = moderator_client.post(
        people.ban_url(rui.pk, held),
        {"scopes": ["email"], "duration": "day", "reason": "rude", "remove_pending": "on",
         "next": f"{QUEUE}?status=pending"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?status=pending"
    held.refresh_from_db()
    assert held.status == "removed"
    ban = Ban.objects.get()
    assert (ban.scope, ban.label, ban.reason, ban.created_by) == ("email", "rui@example.com",
                                                                  "rude", moderator)  # fmt: skip
    logged = LogEntry.objects.get(object_id=str(rui.pk))
    assert logged.change_message == "Banned by email." and logged.user == moderator
    page = moderator_client.get(response["Location"]).content.decode()
    assert "1 pending comment removed" in page and "queue-undo" in page

    undo_url = next(iter(moderator_client.session["comments:undo"]))
    answer = moderator_client.post(reverse("admin:comments_comment_undo", args=[undo_url]), **FETCH)
    assert answer.json()["ok"]
    assert answer.json()["message"] == "Undone: 1 comment put back. 1 ban lifted."
    held.refresh_from_db()
    ban.refresh_from_db()
    assert held.status == "pending" and ban.lifted_by == moderator
    logged = LogEntry.objects.filter(
        content_type__model="commenter", object_id=str(rui.pk)
    ).order_by("pk")
    assert [e.change_message for e in logged] == [
        "Banned by email.",
        "Lifted a ban by email (undo).",
    ]


def test_lift_is_one_click_and_stays_in_the_history_and_the_log(moderator_client, rui, moderator):
    moderator_client.post(people.ban_url(rui.pk), {"scopes": ["email"], "duration": "ever"})
    ban = Ban.objects.get()
    response = moderator_client.post(
        reverse("admin:comments_commenter_lift", args=[rui.pk, ban.pk])
    )
    assert response["Location"] == page_url(rui)
    ban.refresh_from_db()
    assert ban.lifted_by == moderator and not ban.is_active()
    logged = LogEntry.objects.filter(
        content_type__model="commenter", object_id=str(rui.pk)
    ).order_by("pk")
    assert [e.change_message for e in logged] == ["Banned by email.", "Lifted a ban by email."]
    assert logged.last().user == moderator
    html = moderator_client.get(page_url(rui)).content.decode()
    assert "by moderator" in html and "Never banned" not in html


def test_notes_and_trust_are_kept_with_who_and_when(moderator_client, rui, moderator):
    moderator_client.post(reverse("admin:comments_commenter_note", args=[rui.pk]), {"text": "Kind"})
    moderator_client.post(reverse("admin:comments_commenter_trust", args=[rui.pk]),
                          {"trust": "hold"})  # fmt: skip
    note = CommenterNote.objects.get()
    assert (note.text, note.author) == ("Kind", moderator)
    rui.refresh_from_db()
    assert (rui.trust, rui.trust_set_by) == (Commenter.Trust.HOLD, moderator)
    assert "always held" in moderator_client.get(QUEUE).content.decode()


def test_people_pages_need_the_moderation_permission(client, rui, staff_user):
    client.force_login(staff_user)
    assert client.get(page_url(rui)).status_code == 403
    assert client.post(people.ban_url(rui.pk), {"scopes": ["email"]}).status_code == 403
    assert not Ban.objects.exists()


def test_the_commenters_list_finds_one_by_email(moderator_client, rui, article):
    CommentFactory(article=article, author_email="someone@example.com")
    response = moderator_client.get(reverse("admin:comments_commenter_changelist"), {"q": "rui@"})
    assert [c.pk for c in response.context["cl"].result_list] == [rui.pk]


def test_a_comments_page_links_to_its_author_and_their_ban(moderator_client, rui):
    held = Comment.objects.get(commenter=rui, status="pending")
    html = moderator_client.get(reverse("admin:comments_comment_change", args=[held.pk]))
    html = html.content.decode()
    assert f'href="{page_url(rui)}">The author' in html
    assert f'href="{people.ban_url(rui.pk, held)}">Ban the author…</a>' in html


def test_undoing_a_ban_alone_is_in_the_admins_log(moderator_client, rui, moderator):
    """A ban without "remove everything pending" is all its undo takes back: the log says so."""
    moderator_client.post(people.ban_url(rui.pk), {"scopes": ["email"], "duration": "day"})
    token = next(iter(moderator_client.session["comments:undo"]))
    answer = moderator_client.post(reverse("admin:comments_comment_undo", args=[token]), **FETCH)
    assert answer.json()["message"].endswith("1 ban lifted.")
    assert not Ban.objects.active().exists()
    lifted = LogEntry.objects.filter(content_type__model="commenter", object_id=str(rui.pk)).latest(
        "pk"
    )
    assert (lifted.change_message, lifted.user) == ("Lifted a ban by email (undo).", moderator)
    assert lifted.content_type.model == "commenter"
