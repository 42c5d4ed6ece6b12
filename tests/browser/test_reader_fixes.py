"""Issue 26, the reader fixes, on a 390×844 phone: tap targets, one link colour, landing on the
result at once, deleting that asks first and can be undone, times in the reader's own zone,
the "N Comments" link under the title; axe with Akismet on and off."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.conftest import PHONE_VIEWPORT

pytestmark = pytest.mark.django_db(transaction=True)

BRAND_LINK = "rgb(20, 108, 67)"  # #146c43, static/css/site.css
BOOTSTRAP_BLUES = {"rgb(13, 110, 253)", "rgb(10, 88, 202)"}
TAP = 44  # px, each side


@pytest.fixture
def trusted_readers(settings):
    """New readers are published at once (no first-time hold), so their comment shows."""
    settings.COMMENTS_HOLD_FIRST_TIME = False


@pytest.fixture
def phone(new_context):
    """A phone in New York: a zone other than the server's UTC."""
    context = new_context(
        viewport=dict(PHONE_VIEWPORT),
        is_mobile=True,
        has_touch=True,
        timezone_id="America/New_York",
    )
    return context.new_page()


def article_url(live_server, article):
    return live_server.url + article.get_absolute_url()


def boxes(page, selector):
    """[(width, height)] of every element `selector` finds, as laid out now."""
    return page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )


def assert_tap_targets(page, selector, *, at_least=1):
    found = boxes(page, selector)
    assert len(found) >= at_least, f"{selector}: {len(found)} found"
    small = [(w, h) for w, h in found if w < TAP or h < TAP]
    assert not small, f"{selector}: {len(small)} of {len(found)} under 44×44 px, e.g. {small[:3]}"


def in_viewport_now(page, selector):
    """Whether the element is within the viewport at this very moment (no waiting: a page that
    glides there for 2.5 s fails)."""
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.bottom > 0 && r.top < window.innerHeight; }"
    )


def assert_still(page):
    """The page is not scrolling by itself any more."""
    before = page.evaluate("window.scrollY")
    page.wait_for_timeout(400)
    assert page.evaluate("window.scrollY") == before


def fill_reader(page, text, name="Phone Reader", email="phone.reader@example.com"):
    page.fill("#id_comment", text)
    page.fill("#id_name", name)
    page.fill("#id_email", email)


def post_and_load(page):
    """Send the form and wait for the page it leads to, to the load event and no further."""
    with page.expect_navigation(wait_until="load"):
        page.locator("#submit").click()


def assert_axe_clean(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


# --- Tap targets and the link colour ----------------------------------------------------------


def test_every_action_and_chip_is_a_44_px_tap_target_on_a_phone(
    live_server, phone, demo_article, trusted_readers
):
    phone.goto(article_url(live_server, demo_article))
    assert_tap_targets(phone, ".comment-reply-link", at_least=20)
    assert_tap_targets(phone, ".tag-chip", at_least=3)
    assert phone.locator(".tag-chip").first.evaluate("e => getComputedStyle(e).fontSize") == "16px"
    assert_tap_targets(phone, ".article-comments-link")
    assert_tap_targets(phone, ".site-footer a", at_least=3)
    assert_tap_targets(phone, ".comments-feed a")
    phone.locator(".comment-reply-link").first.click()
    assert_tap_targets(phone, "#cancel-comment-reply-link")
    phone.locator("#cancel-comment-reply-link").click()

    fill_reader(phone, "My own comment, to edit.")
    post_and_load(phone)
    assert_tap_targets(phone, ".own-comment .comment-action")  # "Edit or delete"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]


def test_one_link_colour_from_the_brand_and_no_bootstrap_blue(
    live_server, phone, demo_article, akismet_emulator, trusted_readers
):
    phone.goto(article_url(live_server, demo_article))
    expect(phone.locator(".akismet-notice")).to_contain_text("Learn how your comment data")
    colour = "e => getComputedStyle(e).color"
    for selector in (
        ".comment-reply-link",
        ".article-comments-link",
        ".site-footer a",
        ".comments-feed a",
        ".akismet-notice a",
        ".tag-chip",
        ".category-nav-list a",
    ):
        assert phone.locator(selector).first.evaluate(colour) == BRAND_LINK, selector
    every_link = set(phone.locator("a[href]").evaluate_all(f"els => els.map({colour})"))
    assert not every_link & BOOTSTRAP_BLUES


@pytest.mark.parametrize("akismet", [True, False], ids=["akismet-on", "akismet-off"])
def test_the_article_page_is_axe_clean_with_akismet_on_and_off(
    live_server, phone, demo_article, request, akismet
):
    if akismet:
        request.getfixturevalue("akismet_emulator")
    phone.goto(article_url(live_server, demo_article))
    expect(phone.locator(".akismet-notice")).to_have_count(1 if akismet else 0)
    assert_axe_clean(phone)


# --- Landing on the result at once --------------------------------------------------------------


def test_after_a_post_the_reader_lands_on_their_comment_at_once(
    live_server, phone, demo_article, trusted_readers
):
    phone.goto(article_url(live_server, demo_article))
    assert phone.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    fill_reader(phone, "Landing test: here at once.")
    post_and_load(phone)
    mine = Comment.objects.get(body="Landing test: here at once.")
    assert phone.url.endswith(f"#comment-{mine.pk}")
    assert in_viewport_now(phone, f"#div-comment-{mine.pk}")
    assert_still(phone)


def test_after_a_held_reply_the_reader_lands_on_it_under_its_parent(
    live_server, phone, demo_article
):
    top = Comment.objects.filter(article=demo_article, depth=0).order_by("created_at").first()
    phone.goto(article_url(live_server, demo_article) + f"?replytocom={top.pk}#respond")
    fill_reader(phone, "Held reply, where is it?")
    post_and_load(phone)
    held = Comment.objects.get(body="Held reply, where is it?")
    assert held.status == "pending"
    # The script moved it under its parent after the browser had scrolled: still in view.
    assert in_viewport_now(phone, f"#comment-{held.pk}")
    assert_still(phone)


def test_after_a_form_error_or_a_preview_the_reader_lands_on_it_at_once(
    live_server, phone, demo_article
):
    phone.goto(article_url(live_server, demo_article))
    post_and_load(phone)  # nothing filled in
    assert in_viewport_now(phone, "#comment-errors")
    expect(phone.locator("#comment-errors")).to_be_focused()
    assert_still(phone)

    fill_reader(phone, "**Preview** me.")
    with phone.expect_navigation(wait_until="load"):
        phone.locator("#preview").click()
    assert in_viewport_now(phone, "#comment-preview")
    assert_still(phone)


def test_the_comments_link_under_the_title_counts_and_leads_to_the_thread(
    live_server, phone, demo_article
):
    phone.goto(article_url(live_server, demo_article))
    link = phone.locator(".article-comments-link")
    expect(link).to_have_text("20 Comments")
    assert link.bounding_box()["y"] < phone.locator(".article-body").bounding_box()["y"]
    link.click()
    assert phone.url.endswith("#comments")
    assert in_viewport_now(phone, "#comments-title")


# --- Deleting asks first, and can be undone ---------------------------------------------------


def test_delete_asks_in_a_dialog_then_undo_brings_the_comment_back(
    live_server, phone, demo_article, trusted_readers
):
    url = article_url(live_server, demo_article)
    phone.goto(url)
    fill_reader(phone, "A comment I will delete, then regret.")
    post_and_load(phone)
    mine = Comment.objects.get(body="A comment I will delete, then regret.")
    phone.locator(".own-comment").get_by_role("link", name=re.compile("Edit or delete")).click()
    expect(phone.locator("h1")).to_have_text("Edit your comment")

    # The page that asks without JavaScript (form.submit() skips the dialog) is axe-clean.
    with phone.expect_navigation(wait_until="load"):
        phone.evaluate(
            "HTMLFormElement.prototype.submit.call(document.querySelector('form.comment-delete'))"
        )
    expect(phone.locator("h1")).to_have_text("Delete your comment?")
    assert_axe_clean(phone)
    phone.get_by_role("link", name="No, keep it").click()

    # Cancelled: nothing happens.
    asked = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    phone.locator("#delete").click()
    expect(phone.locator("h1")).to_have_text("Edit your comment")
    # It names the time the undo lasts, in the reader's zone, as the page does.
    assert asked and re.fullmatch(
        r"Delete your comment\? You can undo this until \d+:\d\d [ap]\.m\. E[SD]T\.", asked[0]
    ), asked
    mine.refresh_from_db()
    assert mine.status == "approved"

    # Confirmed: deleted, and the undo is right where the reader lands.
    phone.once("dialog", lambda dialog: dialog.accept())
    with phone.expect_navigation(wait_until="load"):
        phone.locator("#delete").click()
    expect(phone.locator(".messages")).to_contain_text("Your comment was deleted.")
    mine.refresh_from_db()
    assert mine.status == "removed"
    undo = phone.get_by_role("button", name=re.compile("^Undo"))
    expect(undo).to_be_visible()
    assert in_viewport_now(phone, f"#own-comment-{mine.pk}")
    assert_tap_targets(phone, f"#own-comment-{mine.pk} .comment-action")
    expect(phone.locator("#comments")).not_to_contain_text("then regret")

    with phone.expect_navigation(wait_until="load"):
        undo.click()
    expect(phone.locator(".messages")).to_contain_text("Your comment is back.")
    expect(phone.locator(f"#div-comment-{mine.pk}")).to_contain_text("then regret")
    assert in_viewport_now(phone, f"#div-comment-{mine.pk}")
    mine.refresh_from_db()
    assert mine.status == "approved"
    assert_axe_clean(phone)


def test_delete_and_undo_without_javascript(
    live_server, new_context, demo_article, trusted_readers
):
    page = new_context(java_script_enabled=False, viewport=dict(PHONE_VIEWPORT)).new_page()
    url = article_url(live_server, demo_article)
    page.goto(url)
    fill_reader(page, "No script, no dialog.")
    page.locator("#submit").click()
    mine = Comment.objects.get(body="No script, no dialog.")
    page.goto(live_server.url + f"/comments/{mine.pk}/edit/")
    page.locator("#delete").click()

    # The question, on a page of its own; "No, keep it" keeps it.
    expect(page.locator("h1")).to_have_text("Delete your comment?")
    expect(page.locator("blockquote")).to_contain_text("No script, no dialog.")
    page.get_by_role("link", name="No, keep it").click()
    expect(page.locator("h1")).to_have_text("Edit your comment")
    mine.refresh_from_db()
    assert mine.status == "approved"

    page.locator("#delete").click()
    page.locator("#confirm-delete").click()
    mine.refresh_from_db()
    assert mine.status == "removed"
    page.get_by_role("button", name=re.compile("^Undo")).click()
    mine.refresh_from_db()
    assert mine.status == "approved"
    expect(page.locator(f"#div-comment-{mine.pk}")).to_contain_text("No script, no dialog.")


# --- Times in the reader's own zone -------------------------------------------------------------


def django_clock(moment):
    """A time as Django's "g:i a" and the zone's abbreviation write it: "4:35 p.m. EST"."""
    period = "a.m." if moment.hour < 12 else "p.m."
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {period} {moment.tzname()}"


def test_times_are_rewritten_in_the_readers_zone_and_named_without_script(
    live_server, phone, new_context, demo_article, trusted_readers
):
    new_york = ZoneInfo("America/New_York")
    phone.goto(article_url(live_server, demo_article))
    fill_reader(phone, "What time is it where I am?")
    post_and_load(phone)
    mine = Comment.objects.get(body="What time is it where I am?")
    deadline = (mine.created_at + timedelta(minutes=10)).astimezone(new_york)
    until = phone.locator(f"#own-comment-{mine.pk} time")
    expect(until).to_have_text(django_clock(deadline))

    first = Comment.objects.filter(article=demo_article).order_by("created_at").first()
    created = first.created_at.astimezone(new_york)
    date = phone.locator(f"#div-comment-{first.pk} .comment-date time")
    expect(date).to_have_text(
        f"{created:%B} {created.day}, {created.year} at {django_clock(created)}"
    )

    # Without JavaScript: the server's zone, named.
    bare = new_context(java_script_enabled=False, timezone_id="America/New_York").new_page()
    bare.goto(article_url(live_server, demo_article))
    utc = first.created_at.astimezone(ZoneInfo("UTC"))
    expect(bare.locator(f"#div-comment-{first.pk} .comment-date time")).to_have_text(
        f"{utc:%B} {utc.day}, {utc.year} at {django_clock(utc)}"
    )
