"""A moderator replies to a comment from the admin: the change page's reply box, the queue's
"Reply" links, and what readers see afterwards."""

import re
import time

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
TEXT = "Thanks Gwen: magnesium helps some people; sleep and water help everyone."


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def reply_url(comment):
    return reverse("admin:comments_comment_reply", args=[comment.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def nested_under(html, parent, reply):
    """The reply is rendered as the first child of the parent in the thread's markup."""
    pattern = (
        rf'<li id="comment-{parent.pk}" class="comment depth-{parent.depth + 1}">'
        rf'(?:(?!<li ).)*?<ol class="children"><li id="comment-{reply.pk}" '
        rf'class="comment depth-{parent.depth + 2}">'
    )
    return re.search(pattern, html, re.DOTALL) is not None


@pytest.fixture
def approved(article):
    return CommentFactory(
        article=article,
        status="approved",
        author_name="Gwenivere",
        body="Does magnesium stop the twitching?",
        body_html="<p>Does magnesium stop the twitching?</p>",
    )


@pytest.fixture
def held(article):
    return CommentFactory(article=article, author_name="Gwenivere", body="Held until approved.")


def test_the_reply_is_on_the_article_at_once_as_a_child_of_the_comment(
    moderator_client, moderator, approved, article
):
    response = moderator_client.post(reply_url(approved), {"reply": TEXT}, follow=True)

    reply = Comment.objects.get(parent=approved)
    assert response.redirect_chain == [(change_url(approved), 302)]
    assert (reply.status, reply.user, reply.body) == ("approved", moderator, TEXT)
    assert reply.author_name == moderator.get_full_name()
    assert reply.author_email == moderator.email
    assert (reply.thread_id, reply.depth) == (approved.thread_id, 1)
    [message] = messages_of(response)
    assert message.startswith("Your reply is published.")
    assert f'href="{reply.get_absolute_url()}"' in response.content.decode()  # its permalink
    article.refresh_from_db()
    assert article.comment_count == 2

    page = Client().get(article.get_absolute_url()).content.decode()  # an anonymous reader
    assert TEXT in page and "2 Comments" in page
    assert nested_under(page, approved, reply)
    permalink = Client().get(reply.get_absolute_url())
    assert permalink.status_code == 302 and permalink.url.endswith(f"#comment-{reply.pk}")


def test_the_history_says_who_replied(moderator_client, moderator, approved):
    moderator_client.post(reply_url(approved), {"reply": TEXT})
    event = Comment.objects.get(parent=approved).history.get()
    assert (event.actor, event.to_status) == (moderator, "approved")
    assert "without screening" in event.note


def test_a_staff_member_without_a_full_name_replies_under_their_username(
    client, approved, moderators_group
):
    editor = UserFactory(username="editor", first_name="", last_name="", is_staff=True)
    editor.groups.add(moderators_group)
    client.force_login(editor)
    client.post(reply_url(approved), {"reply": TEXT})
    assert Comment.objects.get(parent=approved).author_name == "editor"


@pytest.mark.django_db(transaction=True)
def test_readers_served_from_the_page_cache_see_the_reply_within_its_seconds(
    page_cache_on, settings, moderator_client, approved, article
):
    from comments.services.counts import refresh_article_counts

    refresh_article_counts([article.pk])
    url = article.get_absolute_url()
    assert "Does magnesium" in Client().get(url).content.decode()  # rendered and stored

    moderator_client.post(reply_url(approved), {"reply": TEXT})

    assert TEXT in moderator_client.get(url).content.decode()  # the moderator: at once
    time.sleep(settings.PAGE_CACHE_SECONDS + 0.1)
    page = Client().get(url).content.decode()
    assert TEXT in page and "2 Comments" in page


def test_replying_to_a_held_comment_approves_it_first(moderator_client, moderator, held, article):
    box = moderator_client.get(change_url(held)).content.decode()
    assert ">Approve and reply</button>" in box

    response = moderator_client.post(reply_url(held), {"reply": TEXT}, follow=True)

    held.refresh_from_db()
    reply = Comment.objects.get(parent=held)
    assert held.status == "approved" and reply.status == "approved"
    approval = held.history.get(kind="status")
    assert (approval.from_status, approval.to_status, approval.actor) == (
        "pending",
        "approved",
        moderator,
    )
    assert messages_of(response)[0].startswith("Comment approved and your reply published.")
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Held until approved." in page and TEXT in page
    assert nested_under(page, held, reply)


@pytest.mark.parametrize(
    ("status", "why"), [("spam", "marked as spam"), ("removed", "was removed")]
)
def test_replying_to_spam_or_removed_comments_is_refused(moderator_client, article, status, why):
    comment = CommentFactory(article=article, status=status)
    box = moderator_client.get(change_url(comment)).content.decode()
    assert why in box and 'form="comment-reply-form" class="button' not in box  # no button

    response = moderator_client.post(reply_url(comment), {"reply": TEXT}, follow=True)

    assert not Comment.objects.filter(parent=comment).exists()
    [message] = messages_of(response)
    assert why in message
    comment.refresh_from_db()
    assert comment.status == status
    assert TEXT in response.content.decode()  # what they wrote is still there to copy


def test_replying_at_the_deepest_level_is_refused_and_the_text_kept(
    moderator_client, article, settings
):
    settings.COMMENTS_MAX_DEPTH = 3
    top = CommentFactory(article=article, status="approved")
    middle = CommentFactory(parent=top, status="approved")
    deepest = CommentFactory(parent=middle, status="approved")  # depth 2: the third level

    response = moderator_client.post(reply_url(deepest), {"reply": TEXT}, follow=True)

    assert not Comment.objects.filter(parent=deepest).exists()
    assert response.redirect_chain == [(f"{change_url(deepest)}#reply", 302)]
    [message] = messages_of(response)
    assert "nested as deep as it can go" in message
    html = response.content.decode()
    assert re.search(rf'<textarea name="reply"[^>]*>{re.escape(TEXT)}</textarea>', html)
    assert "nested as deep as it can go" in html  # in the box too, where the page scrolls to
    # One level up is still fine.
    moderator_client.post(reply_url(middle), {"reply": TEXT})
    assert Comment.objects.get(parent=middle, body=TEXT).depth == 2


def test_the_kept_text_is_shown_once(moderator_client, article, settings):
    settings.COMMENTS_MAX_DEPTH = 1
    comment = CommentFactory(article=article, status="approved")
    moderator_client.post(reply_url(comment), {"reply": TEXT})
    assert TEXT in moderator_client.get(change_url(comment)).content.decode()
    assert TEXT not in moderator_client.get(change_url(comment)).content.decode()


def test_an_empty_reply_says_so(moderator_client, approved):
    response = moderator_client.post(reply_url(approved), {"reply": "  \n "}, follow=True)
    assert messages_of(response) == ["Please type a reply."]
    assert not Comment.objects.filter(parent=approved).exists()
    assert ">Reply</button>" in response.content.decode()  # they may try again


def test_a_reply_is_limited_like_a_readers_comment(moderator_client, approved, settings):
    settings.COMMENTS_MAX_LENGTH = 10
    response = moderator_client.post(reply_url(approved), {"reply": "x" * 11}, follow=True)
    assert messages_of(response) == ["Please keep your reply under 10 characters (it has 11)."]
    assert not Comment.objects.filter(parent=approved).exists()


def test_replies_are_not_sent_to_akismet_nor_screened(moderator_client, approved, akismet_emulator):
    moderator_client.post(
        reply_url(approved), {"reply": "See https://a.example https://b.example https://c.example"}
    )
    reply = Comment.objects.get(parent=approved)
    assert reply.status == "approved"  # three links would hold a reader's comment
    assert akismet_emulator.requests == []
    assert (reply.akismet_verdict, reply.screening) == ("", [])


def test_the_articles_author_is_told_as_for_any_published_comment(
    moderator_client, approved, article, notifications_on, django_capture_on_commit_callbacks
):
    article.author = UserFactory(username="writer", email="writer@example.com")
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(reply_url(approved), {"reply": TEXT})
    [message] = mail.outbox
    assert message.to == ["writer@example.com"] and TEXT in message.body


# --- The queue's "Reply" links ----------------------------------------------------------------


def test_each_row_links_to_its_reply_box(moderator_client, approved, held, article):
    spam = CommentFactory(article=article, status="spam")
    html = moderator_client.get(QUEUE, {"status": "all"}).content.decode()
    back = "return_to=changelist&amp;_changelist_filters=status%3Dall#reply"
    # the change page's box without JavaScript; the address the row's own box posts to with it
    for comment, words in [(approved, "Reply"), (held, "Approve and reply")]:
        in_place = f'data-reply-url="{reply_url(comment)}"'
        assert f'<a href="{change_url(comment)}?{back}" {in_place}>{words}</a>' in html
    assert f"{change_url(spam)}?return_to" not in html


def test_a_reply_from_the_queue_goes_back_to_the_queue(moderator_client, held):
    box = moderator_client.get(
        change_url(held), {"return_to": "changelist", "_changelist_filters": "status=pending"}
    ).content.decode()
    assert 'name="return_to" value="changelist"' in box
    action = f'action="{reply_url(held)}?_changelist_filters=status%3Dpending"'
    assert action in box

    response = moderator_client.post(
        f"{reply_url(held)}?_changelist_filters=status%3Dpending",
        {"reply": TEXT, "return_to": "changelist"},
    )

    assert response.status_code == 302 and response.url == f"{QUEUE}?status=pending"


# --- Who may reply ----------------------------------------------------------------------------


def test_readers_and_anonymous_visitors_cannot_reply(client, reader, approved):
    assert client.post(reply_url(approved), {"reply": TEXT}).status_code == 302  # to the login
    client.force_login(reader)
    response = client.post(reply_url(approved), {"reply": TEXT})
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert not Comment.objects.filter(parent=approved).exists()


def test_staff_who_may_only_view_comments_get_no_reply(client, approved):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    assert 'id="reply"' not in client.get(change_url(approved)).content.decode()
    assert "return_to=changelist" not in client.get(QUEUE, {"status": "all"}).content.decode()
    assert client.post(reply_url(approved), {"reply": TEXT}).status_code == 403
    assert not Comment.objects.filter(parent=approved).exists()


def test_staff_who_may_not_moderate_cannot_approve_by_replying(client, approved, held):
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    client.force_login(editor)
    response = client.post(reply_url(held), {"reply": TEXT}, follow=True)
    assert "you may not moderate comments" in messages_of(response)[0]
    held.refresh_from_db()
    assert held.status == "pending" and not Comment.objects.filter(parent=held).exists()
    client.post(reply_url(approved), {"reply": TEXT})  # an approved comment is fine
    assert Comment.objects.filter(parent=approved).exists()


def test_only_a_post_with_a_csrf_token_replies(moderator, approved):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.get(reply_url(approved)).status_code == 405
    assert client.post(reply_url(approved), {"reply": TEXT}).status_code == 403
    assert not Comment.objects.filter(parent=approved).exists()


# --- The reply box in a row (the script sends the same POST and reads JSON) -----------------

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def test_a_reply_in_place_approves_the_parent_and_answers_its_row(moderator_client, held):
    answer = moderator_client.post(reply_url(held), {"reply": "Welcome!"}, **FETCH).json()
    assert answer["ok"] is True
    assert answer["message"] == "Comment approved and your reply published."
    assert answer["row"]["status"] == "approved" and answer["counts"]["pending"] == 0
    reply = Comment.objects.get(parent=held)
    assert answer["see_url"] == reply.get_absolute_url()
    assert Comment.objects.get(pk=held.pk).status == "approved"


def test_a_refused_reply_in_place_says_why_and_keeps_nothing_in_the_session(moderator_client, held):
    answer = moderator_client.post(reply_url(held), {"reply": "  "}, **FETCH).json()
    assert answer["ok"] is False and answer["message"] == "Please type a reply."
    assert Comment.objects.get(pk=held.pk).status == "pending"
    assert not [key for key in moderator_client.session.keys() if "reply-draft" in key]  # noqa: SIM118
