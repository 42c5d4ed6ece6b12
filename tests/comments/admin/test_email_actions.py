"""The Approve, Spam and Remove links of the moderators' email (issue 25): signed for one
moderator and one comment, expiring, a confirmation page that changes nothing on GET, the
action on POST through the registry (history: that moderator), refused with words once the
comment has moved on, the link expired, or it is another moderator's."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Notification
from comments.notifications import action_links, moderators
from comments.services.status import approve
from tests.factories import CommentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("notifications_on")]

HELD_FOR = [{"step": "first_time", "verdict": "hold", "reason": "first comment"}]


@pytest.fixture
def held(article):
    return CommentFactory(article=article, body="Is creatine safe?", screening=HELD_FOR)


def path_of(url):
    return url.removeprefix("http://127.0.0.1:8000").removeprefix("http://testserver")


def emailed_links(comment):
    """{label: path} of the links the held-comment email gave."""
    assert moderators.send_held_notice.call(comment.pk) is True
    [message] = mail.outbox
    return {
        label: path_of(url) for label, url in re.findall(r"^(\w+): (http\S+)$", message.body, re.M)
    }


def test_the_first_held_comment_is_emailed_at_once_with_its_three_links(held, moderator):
    links = emailed_links(held)
    assert set(links) == {"Approve", "Spam", "Remove"}
    for path in links.values():
        assert path.startswith("/admin/comments/comment/email/")


def test_get_shows_a_confirmation_and_changes_nothing(moderator_client, held, moderator):
    page = moderator_client.get(emailed_links(held)["Approve"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Is creatine safe?" in html and "Nothing has changed yet" in html
    assert (
        '<button type="submit" class="button default email-action-button">Approve</button>' in html
    )
    held.refresh_from_db()
    assert held.status == "pending" and not held.history.filter(kind="status").exists()


def test_post_approves_it_as_that_moderator(moderator_client, held, moderator):
    page = moderator_client.post(emailed_links(held)["Approve"])
    assert page.status_code == 200
    assert "1 comment approved." in page.content.decode()
    held.refresh_from_db()
    assert held.status == "approved"
    [event] = held.history.filter(kind="status")
    assert event.actor == moderator and event.to_status == "approved"


@pytest.mark.parametrize("label, status", [("Spam", "spam"), ("Remove", "removed")])
def test_spam_and_remove_links_do_their_operation(moderator_client, held, moderator, label, status):
    moderator_client.post(emailed_links(held)[label])
    assert Comment.objects.get(pk=held.pk).status == status


def test_a_comment_that_moved_on_is_refused_with_who_moved_it(
    moderator_client, held, moderator, moderators_group
):
    links = emailed_links(held)
    alice = UserFactory(username="alice", is_staff=True)
    alice.groups.add(moderators_group)
    approve(held, by=alice)
    for method in (moderator_client.get, moderator_client.post):
        page = method(links["Remove"])
        assert page.status_code == 409
        assert "it was approved by alice. Nothing was changed." in page.content.decode()
    assert Comment.objects.get(pk=held.pk).status == "approved"


def test_an_expired_link_is_refused(moderator_client, held, moderator, settings):
    links = emailed_links(held)
    settings.COMMENTS_EMAIL_LINK_HOURS = 1
    later = signing.time.time() + 2 * 3600
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later)
        page = moderator_client.post(links["Approve"])
    assert page.status_code == 400
    assert "This link has expired." in page.content.decode()
    assert Comment.objects.get(pk=held.pk).status == "pending"


def test_another_moderators_link_is_refused(client, held, moderator, moderators_group):
    links = emailed_links(held)
    other = UserFactory(username="bob", is_staff=True)
    other.groups.add(moderators_group)
    client.force_login(other)
    page = client.post(links["Approve"])
    assert page.status_code == 403
    assert "sent to another moderator" in page.content.decode()
    assert Comment.objects.get(pk=held.pk).status == "pending"


def test_a_link_is_good_for_its_own_operation_only(moderator_client, held, moderator):
    token = emailed_links(held)["Approve"].rstrip("/").rsplit("/", 1)[1]
    other = reverse("admin:comments_comment_email_action", args=["remove", token])
    page = moderator_client.post(other)
    assert page.status_code == 400 and "not one of ours" in page.content.decode()
    assert moderator_client.get(other.replace("/remove/", "/unapprove/")).status_code == 400
    assert Comment.objects.get(pk=held.pk).status == "pending"


def test_without_a_login_the_link_asks_for_one(client, held, moderator):
    page = client.get(emailed_links(held)["Approve"])
    assert page.status_code == 302 and "/admin/login/" in page["Location"]


def test_a_moderator_who_lost_the_permission_is_refused(client, held, moderator):
    links = emailed_links(held)
    moderator.groups.clear()
    client.force_login(moderator)
    page = client.post(links["Approve"])
    assert page.status_code == 403 and "You may not do this" in page.content.decode()
    assert Comment.objects.get(pk=held.pk).status == "pending"


def test_an_address_without_an_account_gets_no_links(held, settings):
    settings.COMMENTS_MODERATORS_EMAILS = ["list@example.com"]
    assert moderators.send_held_notice.call(held.pk) is True
    [message] = mail.outbox
    assert "/email/" not in message.body and "Moderate it:" in message.body


def test_the_token_names_the_comment_the_moderator_and_the_status(held, moderator):
    link = action_links.read("approve", action_links.token_for(held, "approve", moderator))
    assert (link.comment_id, link.moderator_id, link.status) == (held.pk, moderator.pk, "pending")


def test_a_burst_still_coalesces_and_its_listing_carries_each_comments_links(
    article, held, moderator
):
    assert moderators.send_held_notice.call(held.pk) is True  # the first: at once
    burst = [CommentFactory(article=article, screening=HELD_FOR) for _ in range(2)]
    for comment in burst:
        assert moderators.send_held_notice.call(comment.pk) is False  # the burst waits
    assert len(mail.outbox) == 1

    Notification.objects.update(sent_at=timezone.now() - 2 * moderators.HELD_BURST)
    assert moderators.send_held_notices() == 2  # the window's end: one listing
    listing = mail.outbox[1]
    assert listing.to == [moderator.email]
    tokens = re.findall(r"^Approve: \S+/email/approve/(\S+)/$", listing.body, re.M)
    named = [action_links.read("approve", token).comment_id for token in tokens]
    assert named == [comment.pk for comment in burst]
