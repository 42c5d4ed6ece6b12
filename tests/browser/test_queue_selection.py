"""A member of Moderators clears a page of held comments at once from the keyboard (issue 25):
"*" selects every open row of the page, "x" leaves one out, "a" approves the rest in one
request (no page load) with one Undo ("z"); when a page is done the next comes in place."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.test_moderation_queue import (
    HELD_FOR,
    assert_no_axe_violations,
    count_page_loads,
    log_in,
    row,
)
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = 50  # CommentAdmin.list_per_page


@pytest.fixture
def held_pages(db):
    """Two pages of held comments: 50 and 2."""
    article = ArticleFactory(title="Why Do Muscles Twitch After a Workout?")
    return CommentFactory.create_batch(
        PAGE + 2,
        article=article,
        body="Is twitching after a long run normal?",
        screening=HELD_FOR,
        akismet_verdict="ham",
    )


def selected_rows(page):
    return page.locator("#result_list tbody tr.selected")


def test_select_the_page_leave_one_out_approve_the_rest_and_undo(
    live_server, page, moderators_group, held_pages
):
    log_in(page, live_server, "mod", moderators_group)
    expect(page.locator("body")).to_have_class(re.compile("queue-js"))
    loads = count_page_loads(page)
    first = page.locator("#result_list tbody tr").first

    page.keyboard.press("*")
    expect(selected_rows(page)).to_have_count(PAGE)
    expect(page.locator("#queue-messages")).to_contain_text("50 rows selected")
    page.keyboard.press("x")  # the focused (first) row is left out
    expect(selected_rows(page)).to_have_count(PAGE - 1)
    expect(first).not_to_have_class(re.compile("selected"))
    assert_no_axe_violations(page)

    page.keyboard.press("a")
    expect(page.locator("#queue-messages")).to_contain_text("49 comments approved.")
    expect(page.locator("#result_list tbody tr.queue-done")).to_have_count(PAGE - 1)
    expect(selected_rows(page)).to_have_count(0)
    expect(first).not_to_have_class(re.compile("queue-done"))
    expect(first).to_have_class(re.compile("queue-current"))  # the one left out, to decide
    expect(page.locator("#changelist-filter")).to_contain_text("Pending (3)")
    assert Comment.objects.filter(status="approved").count() == PAGE - 1

    page.keyboard.press("z")  # one undo for the whole selection
    expect(page.locator("#queue-messages")).to_contain_text("Undone: 49 comments put back.")
    expect(page.locator("#result_list tbody tr.queue-done")).to_have_count(0)
    expect(page.locator("#changelist-filter")).to_contain_text("Pending (52)")
    assert not Comment.objects.filter(status="approved").exists()
    assert loads == []  # no page load


def test_a_done_page_brings_the_next_in_place(live_server, page, moderators_group, held_pages):
    log_in(page, live_server, "mod", moderators_group)
    expect(page.locator("body")).to_have_class(re.compile("queue-js"))
    loads = count_page_loads(page)
    newest = held_pages[-1]
    expect(row(page, newest)).to_be_visible()

    page.keyboard.press("*")
    page.keyboard.press("a")
    expect(page.locator("#changelist-filter")).to_contain_text("Pending (2)")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)  # the next page, fetched
    expect(page.locator("#result_list tbody tr").first).to_have_class(re.compile("queue-current"))
    assert Comment.objects.filter(status="pending").count() == 2

    page.keyboard.press("*")  # the new rows are selected as the first page's were
    expect(selected_rows(page)).to_have_count(2)
    page.keyboard.press("a")
    expect(page.locator("#queue-messages")).to_contain_text("The queue is empty.")
    assert not Comment.objects.filter(status="pending").exists()
    assert loads == []
