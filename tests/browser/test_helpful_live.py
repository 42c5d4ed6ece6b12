"""Issue 26 in a browser, on a 390 × 844 phone: mark a comment helpful, undo, sort by Most
helpful; a second browser posts, a moderator approves, and the first tab shows "1 new
comment: show" and inserts it in place without a reload; Helpful and the sort work without
JavaScript too."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from comments.models import Comment
from comments.services.status import approve

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def first_threads(page):
    return page.locator("ol.comment-list > li.comment").evaluate_all(
        "items => items.map(item => item.id)"
    )


def test_mark_helpful_undo_and_sort_by_most_helpful_on_a_phone(
    live_server, phone_page, demo_article
):
    url = live_server.url + demo_article.get_absolute_url()
    phone_page.goto(url)
    threads = first_threads(phone_page)
    chosen = threads[3]  # not the first thread: the sort must move it
    button = phone_page.locator(f"#{chosen} > article .comment-helpful-button")
    expect(button).to_have_attribute("aria-pressed", "false")
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box

    button.tap()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_text("Helpful 1")
    assert phone_page.url == url  # in place, no navigation

    phone_page.reload()  # the shared page, the reader's mark drawn from their cookie
    expect(button).to_have_text("Helpful 1")
    expect(button).to_have_attribute("aria-pressed", "true")

    button.tap()  # undo
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_text("Helpful")
    assert Comment.objects.get(pk=chosen.split("-")[1]).helpful_count == 0

    button.tap()
    expect(button).to_have_text("Helpful 1")
    sort = phone_page.get_by_role("link", name="Most helpful")
    box = sort.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    sort.tap()
    expect(phone_page).to_have_url(re.compile(r"\?sort=helpful#comments$"))
    assert first_threads(phone_page)[0] == chosen
    expect(phone_page.get_by_role("link", name="Most helpful")).to_have_attribute(
        "aria-current", "true"
    )
    results = Axe().run(phone_page)
    assert results.violations_count == 0, results.generate_report()


def test_a_new_comment_arrives_in_place_without_a_reload(
    live_server, phone_page, new_context, demo_article
):
    url = live_server.url + demo_article.get_absolute_url()
    phone_page.goto(url)
    threads = first_threads(phone_page)
    # The reader reads a thread further down; the reply will arrive above it.
    reading = phone_page.locator(f"#{threads[6]} > article")
    reading.scroll_into_view_if_needed()
    phone_page.evaluate("window.notReloaded = true")
    top_before = reading.evaluate("el => el.getBoundingClientRect().top")

    writer = new_context(**PHONE).new_page()
    parent = threads[0].split("-")[1]
    writer.goto(f"{url}?replytocom={parent}#respond")
    writer.fill("#id_comment", "Arrived while you were reading: magnesium helped me too.")
    writer.fill("#id_name", "Second Browser")
    writer.fill("#id_email", "second.browser@example.com")
    writer.locator("#submit").click()
    comment = Comment.objects.get(author_name="Second Browser")
    assert comment.status == Comment.Status.PENDING  # a first comment waits for a moderator
    expect(writer.locator(f"#comment-{comment.pk}")).to_contain_text("awaiting moderation")

    approve(comment)  # the moderator, through the service the admin calls

    show = phone_page.get_by_role("button", name="1 new comment: show")
    expect(show).to_be_visible(timeout=15_000)
    show.tap()
    arrived = phone_page.locator(f"#{threads[0]} ol.children > #comment-{comment.pk}")
    expect(arrived).to_contain_text("Arrived while you were reading")
    expect(show).to_be_hidden()
    assert phone_page.evaluate("window.notReloaded") is True
    top_after = reading.evaluate("el => el.getBoundingClientRect().top")
    assert abs(top_after - top_before) < 3, (top_before, top_after)  # what they read stayed
    expect(phone_page.locator("#comments-title")).to_have_text("21 Comments")


def test_helpful_and_sort_without_javascript(live_server, new_context, demo_article):
    page = new_context(java_script_enabled=False, **PHONE).new_page()
    url = live_server.url + demo_article.get_absolute_url()
    page.goto(url)
    chosen = first_threads(page)[2]
    page.locator(f"#{chosen} > article .comment-helpful-button").tap()

    expect(page).to_have_url(re.compile(rf"#{chosen}$"))
    expect(page.locator("body")).to_contain_text("Marked helpful. Tap again to take it back.")
    expect(page.locator(f"#{chosen} > article .comment-helpful-button")).to_have_text("Helpful 1")

    page.get_by_role("link", name="Most helpful").tap()
    expect(page).to_have_url(re.compile(r"\?sort=helpful#comments$"))
    assert first_threads(page)[0] == chosen
    page.get_by_role("link", name="Newest").tap()
    expect(page).to_have_url(re.compile(r"\?sort=newest#comments$"))
    ids = first_threads(page)
    assert ids == sorted(ids, key=lambda item: -int(item.split("-")[1]))

    page.locator(f"#{chosen} > article .comment-helpful-button").tap()  # undo, from Newest
    expect(page).to_have_url(re.compile(rf"\?sort=newest#{chosen}$"))
    expect(page.locator("body")).to_contain_text("Your mark was taken back.")
    expect(page.locator(f"#{chosen} > article .comment-helpful-button")).to_have_text("Helpful")


def test_a_hidden_tab_stops_asking_and_asks_at_once_when_seen_again(
    live_server, phone_page, demo_article
):
    asked = []
    phone_page.on(
        "request",
        lambda request: asked.append(request.url) if "/comments/live/" in request.url else None,
    )
    phone_page.goto(live_server.url + demo_article.get_absolute_url())
    phone_page.wait_for_timeout(7_000)
    assert asked, "a visible tab asks every few seconds"

    visibility = """hidden => {
        Object.defineProperty(document, "hidden", {get: () => hidden, configurable: true});
        document.dispatchEvent(new Event("visibilitychange"));
    }"""
    phone_page.evaluate(visibility, True)
    asked.clear()
    phone_page.wait_for_timeout(8_000)
    assert asked == []  # hidden: not one request

    phone_page.evaluate(visibility, False)
    phone_page.wait_for_timeout(1_000)
    assert len(asked) == 1  # seen again: asks at once


def test_a_refused_mark_says_why(live_server, phone_page, new_context, demo_article, settings):
    settings.COMMENTS_HELPFUL_PER_NETWORK = 1  # every browser here shares 127.0.0.1
    url = live_server.url + demo_article.get_absolute_url()
    neighbour = new_context(**PHONE).new_page()
    neighbour.goto(url)
    chosen = first_threads(neighbour)[0]
    neighbour.locator(f"#{chosen} > article .comment-helpful-button").tap()
    expect(neighbour.locator(f"#{chosen} > article .comment-helpful-button")).to_have_text(
        "Helpful 1"
    )

    phone_page.goto(url)
    button = phone_page.locator(f"#{chosen} > article .comment-helpful-button")
    button.tap()
    note = phone_page.locator(f"#{chosen} > article .comment-helpful-note")
    expect(note).to_have_text(re.compile("Enough readers on your network"))
    expect(note).to_have_attribute("role", "status")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_text("Helpful 1")
