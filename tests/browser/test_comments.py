"""The reply form moves under a comment with JavaScript, and a held reply stays private."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def comment_item(page, number):
    """The <li> of top-level comment `number` (1-based, as numbered on the page)."""
    return page.locator("ol.comment-list > li.comment").nth(number - 1)


def test_reply_under_comment_9_cancel_then_send_a_held_reply(
    live_server, page, new_context, demo_article
):
    url = live_server.url + demo_article.get_absolute_url()
    page.goto(url)
    expect(page.locator("#comments-title")).to_have_text("20 Comments")

    ninth = comment_item(page, 9)
    expect(ninth.locator(".comment-number").first).to_have_text("9.")
    ninth.locator(".comment-reply-link").first.click()
    respond = page.locator("#respond")
    expect(ninth.locator("#respond")).to_have_count(1)  # moved under comment 9, no page load
    expect(respond.locator(".reply-title-text")).to_have_text("Leave a Reply to Lauren")
    assert page.url == url

    page.locator("#cancel-comment-reply-link").click()
    expect(ninth.locator("#respond")).to_have_count(0)
    expect(respond.locator(".reply-title-text")).to_have_text("Leave a Reply")
    expect(page.locator("#cancel-comment-reply-link")).to_be_hidden()

    ninth.locator(".comment-reply-link").first.click()
    page.fill("#id_comment", "Thanks Lauren, soy milk it is.")
    page.fill("#id_name", "Browser Reader")
    page.fill("#id_email", "browser.reader@example.com")
    page.locator("#submit").click()

    held = page.locator(".comment-pending")
    expect(held).to_contain_text("Your comment is awaiting moderation.")
    expect(held).to_contain_text("Thanks Lauren, soy milk it is.")
    expect(comment_item(page, 9).locator(".comment-pending")).to_have_count(1)  # under its parent

    fresh = new_context().new_page()
    fresh.goto(url)
    expect(fresh.locator("#comments-title")).to_have_text("20 Comments")
    expect(fresh.locator("body")).not_to_contain_text("Thanks Lauren")
    expect(fresh.locator("body")).not_to_contain_text("awaiting moderation")


def test_reply_link_works_without_javascript(live_server, new_context, demo_article):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + demo_article.get_absolute_url())
    comment_item(page, 9).locator(".comment-reply-link").first.click()
    expect(page.locator(".reply-title-text")).to_have_text("Leave a Reply to Lauren")
    expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
    assert "replytocom=" in page.url


def test_the_thread_reads_on_a_phone(live_server, phone_page, demo_article):
    phone_page.goto(live_server.url + demo_article.get_absolute_url())
    reply = phone_page.locator("ol.children > li.comment").first
    box = reply.bounding_box()
    assert box is not None and box["width"] > 280  # indent shrinks on small screens
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
