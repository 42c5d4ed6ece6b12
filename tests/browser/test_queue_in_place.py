"""A member of Moderators works from the queue and from the email (issue 25): replies in
place (R, type, Ctrl+Enter: the row updates, the comment is approved, no page load), approves
from an email link (the locmem outbox) through its confirmation page, searches from Pending and
finds an approved comment with its status; axe finds nothing on the queue with replies in every
status, nor on the confirmation page, in both themes."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from comments.models import Comment
from comments.notifications import moderators
from tests.browser.test_moderation_queue import (
    HELD_FOR,
    QUEUE,
    assert_no_axe_violations,
    count_page_loads,
    log_in,
    row,
)
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article(db):
    return ArticleFactory(title="Why Do Muscles Twitch After a Workout?")


@pytest.fixture
def question(article):
    """An approved comment, and a held reply to it ("in reply to Mia" under its article)."""
    parent = CommentFactory(article=article, author_name="Mia", status="approved")
    return CommentFactory(
        article=article,
        parent=parent,
        author_name="Rui",
        author_email="rui.reply@example.com",
        body="Does magnesium help with the twitching?",
        screening=HELD_FOR,
        akismet_verdict="ham",
    )


def test_reply_in_place_with_the_keyboard(live_server, page, moderators_group, question):
    log_in(page, live_server, "mod", moderators_group)
    expect(page.locator("body")).to_have_class(re.compile("queue-js"))  # the keys are on
    loads = count_page_loads(page)

    page.keyboard.press("r")  # the first row: a reply box opens inside it, focused
    box = page.locator(f"#queue-row-{question.pk} .queue-replybox textarea")
    expect(box).to_be_focused()
    assert_no_axe_violations(page)
    page.keyboard.type("Yes: 300 mg in the evening helped me.")
    page.keyboard.press("Control+Enter")

    messages = page.locator("#queue-messages")
    expect(messages).to_contain_text("Comment approved and your reply published.")
    expect(messages.get_by_role("link", name="See it on the site")).to_be_visible()
    expect(row(page, question)).to_have_class(re.compile("queue-done"))
    expect(row(page, question)).to_contain_text("Status: Approved")
    expect(box).to_have_count(0)
    expect(page.locator("#changelist-filter")).to_contain_text("Pending (0)")
    assert loads == []  # no page load
    assert Comment.objects.get(pk=question.pk).status == "approved"
    reply = Comment.objects.get(parent=question)
    assert reply.body == "Yes: 300 mg in the evening helped me." and reply.status == "approved"


def test_approve_from_the_email_link(
    live_server, page, moderators_group, question, notifications_on
):
    user = log_in(page, live_server, "mod", moderators_group)
    mail.outbox.clear()
    assert moderators.send_held_notice.call(question.pk) is True  # the first: emailed at once
    [email] = [m for m in mail.outbox if user.email in m.to]
    approve = re.search(r"^Approve: https?://[^/]+(/\S+)$", email.body, re.M).group(1)

    page.goto(live_server.url + approve)
    expect(page.locator("h1")).to_contain_text("Approve this comment?")
    expect(page.locator("blockquote")).to_contain_text(question.body)
    assert_no_axe_violations(page)
    assert Comment.objects.get(pk=question.pk).status == "pending"  # the GET changed nothing

    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    assert_no_axe_violations(page)
    question.refresh_from_db()
    assert question.status == "approved"
    assert question.history.get(kind="status").actor == user

    page.goto(live_server.url + approve)  # the same link again: the comment has moved on
    expect(page.locator(".errornote")).to_contain_text("it was approved by mod")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)


def test_search_from_pending_finds_an_approved_comment_and_says_its_status(
    live_server, page, moderators_group, question
):
    Comment.objects.filter(pk=question.pk).update(status="approved")
    CommentFactory(article=question.article, author_name="Ann", screening=HELD_FOR)
    log_in(page, live_server, "mod", moderators_group)  # the queue opens on Pending
    expect(page.locator("#result_list")).not_to_contain_text(question.body)

    page.fill("#searchbar", "rui.reply")
    page.keyboard.press("Enter")
    expect(row(page, question)).to_contain_text("Status: Approved")
    expect(page.locator(".queue-search-note")).to_contain_text("every status")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_replies_in_every_status_in_both_themes(
    live_server, new_context, moderators_group, question, scheme
):
    parent = question.parent
    for status in ("approved", "spam", "removed"):
        CommentFactory(
            article=parent.article,
            parent=parent,
            status=status,
            screening=HELD_FOR,
            akismet_verdict="spam" if status == "spam" else "ham",
        )
    page = new_context(color_scheme=scheme).new_page()
    log_in(page, live_server, "mod", moderators_group)
    for url in [
        f"{QUEUE}?status=pending",
        f"{QUEUE}?status=all",
        f"{QUEUE}?status=all&q=rui",
        f"{QUEUE}{question.pk}/change/",
        f"{QUEUE}{question.pk}/history/",
    ]:
        page.goto(live_server.url + url)
        expect(page.locator("#content")).to_be_visible()
        assert_no_axe_violations(page)
