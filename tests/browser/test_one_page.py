"""Issue 29 in a browser, on a 390 × 844 phone: a reader posts a comment that is held, reloads
the plain address and gets the page everyone shares, their part (the remembered name and email,
their comment awaiting moderation, its "Edit or delete" link) filled in by the script from
the private request; without JavaScript, the page their post lands on shows their comment."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NAME, EMAIL = "Phone Reader", "phone.reader@example.com"
AWAITING = "Your comment is awaiting moderation."


def fill_form(page, text):
    page.fill("#id_comment", text)
    page.fill("#id_name", NAME)
    page.fill("#id_email", EMAIL)


def post_held(page, url, text):
    page.goto(url)
    fill_form(page, text)
    page.check("#id_remember")
    page.locator("#submit").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    held = Comment.objects.get(body=text)
    assert held.status == Comment.Status.PENDING
    return held


def test_a_returning_commenters_part_arrives_from_the_private_request(
    live_server, new_context, demo_article
):
    url = live_server.url + demo_article.get_absolute_url()
    phone = new_context(**PHONE).new_page()
    held = post_held(phone, url, "Does stretching after a run stop the twitching?")
    # Their own page, rendered for them; the address loses ?mine=1 (a reload is the shared page).
    expect(phone.locator(f"#comment-{held.pk}")).to_contain_text(AWAITING)
    assert "mine=1" not in phone.url

    asked = []
    phone.on("request", lambda request: asked.append(request.url))
    response = phone.goto(url)  # the plain address: the page a stranger gets
    assert response.headers["cache-control"].startswith("public")
    assert NAME not in response.text() and "Does stretching" not in response.text()

    pending = phone.locator(f"#comment-{held.pk}")
    expect(pending).to_contain_text(AWAITING)
    expect(pending).to_contain_text("Does stretching after a run stop the twitching?")
    expect(phone.locator("#id_name")).to_have_value(NAME)
    expect(phone.locator("#id_email")).to_have_value(EMAIL)
    expect(phone.locator("#id_remember")).to_be_checked()
    edit = pending.locator(".own-comment").get_by_role("link", name=re.compile("Edit or delete"))
    expect(edit).to_be_visible()  # under their comment, moved there by the script
    box = edit.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    assert [u for u in asked if f"/comments/mine/{demo_article.pk}/" in u]
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()

    edit.tap()
    expect(phone.locator("#id_comment")).to_have_value(
        "Does stretching after a run stop the twitching?"
    )


def test_a_stranger_makes_no_private_request(live_server, new_context, demo_article):
    phone = new_context(**PHONE).new_page()
    asked = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.goto(live_server.url + demo_article.get_absolute_url())
    expect(phone.locator("#comments-title")).to_have_text("20 Comments")
    phone.wait_for_load_state("networkidle")

    assert not [u for u in asked if "/comments/mine/" in u]
    expect(phone.locator("#id_name")).to_have_value("")


def test_without_javascript_the_post_lands_on_a_page_showing_it(
    live_server, new_context, demo_article
):
    url = live_server.url + demo_article.get_absolute_url()
    phone = new_context(java_script_enabled=False, **PHONE).new_page()
    held = post_held(phone, url, "Held, and seen without any script.")

    assert "mine=1" in phone.url
    pending = phone.locator(f"#comment-{held.pk}")
    expect(pending).to_contain_text(AWAITING)
    expect(pending).to_contain_text("Held, and seen without any script.")
    expect(phone.locator("#id_name")).to_have_value(NAME)
    expect(phone.get_by_role("link", name=re.compile("Edit or delete"))).to_be_visible()
    # (axe runs as a script: the same page with JavaScript is checked above.)


def test_with_the_script_a_post_lands_on_the_shared_copy_and_shows_the_comment(
    live_server, new_context, demo_article, settings
):
    """The page the writer lands on is the copy the page store made before the post (it lacks
    the comment); the script inserts it from the private request and puts them on it."""
    from django.core.cache import caches

    settings.COMMENTS_HOLD_FIRST_TIME = False  # published at once: no "pending" to show it
    settings.PAGE_CACHE_SECONDS = 60  # the copy lasts the whole test, not just a second
    caches["pages"].clear()
    url = live_server.url + demo_article.get_absolute_url()
    text = "Published, and shown on a page cached before it."
    phone = new_context(**PHONE).new_page()
    phone.goto(url)  # the page store keeps this copy
    fill_form(phone, text)

    with phone.expect_response(lambda r: r.url == url and r.request.method == "GET") as landed:
        phone.locator("#submit").click()
    phone.wait_for_url(re.compile(r"#comment-\d+$"))

    comment = Comment.objects.get(body=text)
    assert comment.status == Comment.Status.APPROVED
    assert phone.url == f"{url}#comment-{comment.pk}"  # the shared page, no mine=1
    landing = landed.value
    assert landing.headers["cache-control"].startswith("public")
    assert text not in landing.text()  # the copy made before the post
    item = phone.locator(f"#comment-{comment.pk}")
    expect(item).to_contain_text(text)
    expect(item).to_contain_text(NAME)
    expect(item).to_be_in_viewport()  # landed on it
    expect(phone.locator("ol.comment-list > li.comment").last).to_have_id(f"comment-{comment.pk}")
    expect(item.locator(".own-comment")).to_contain_text("Edit or delete")
    expect(phone.locator(".comment-pending")).to_have_count(0)
    shown = Comment.objects.filter(article=demo_article).public().count()
    expect(phone.locator("#comments-title")).to_have_text(f"{shown} Comments")  # theirs counted
    # The discussion's next poll does not offer their own comment as new.
    with phone.expect_response(lambda r: "/comments/live/" in r.url):
        phone.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    phone.evaluate("() => new Promise((done) => setTimeout(done, 200))")
    expect(phone.locator(".comments-new")).to_be_hidden()


def test_a_reply_from_a_sorted_page_lands_under_its_parent_in_that_order(
    live_server, new_context, demo_article, settings
):
    """Newest first, from the page store's copy: back to `?sort=newest`, the reply (which the
    copy lacks) under the comment it answers."""
    from django.core.cache import caches

    settings.COMMENTS_HOLD_FIRST_TIME = False
    settings.PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    url = live_server.url + demo_article.get_absolute_url() + "?sort=newest"
    parent = Comment.objects.public().filter(article=demo_article, depth=0).latest("created_at")
    text = "A reply, read newest first."
    phone = new_context(**PHONE).new_page()
    phone.goto(url)
    phone.locator(f"#comment-{parent.pk} [data-reply-to='{parent.pk}']").first.tap()
    fill_form(phone, text)
    phone.locator("#submit").click()
    phone.wait_for_url(re.compile(r"#comment-\d+$"))

    reply = Comment.objects.get(body=text)
    assert reply.parent_id == parent.pk and reply.status == Comment.Status.APPROVED
    assert phone.url == f"{url}#comment-{reply.pk}"
    item = phone.locator(f"#comment-{parent.pk} > ol.children > #comment-{reply.pk}")
    expect(item).to_contain_text(text)
    expect(item).to_be_in_viewport()


def test_a_comment_an_approval_moved_to_the_next_page_is_followed_there(
    live_server, new_context, demo_article, settings
):
    """Two threads a page: an article with three, and one older comment held. The writer's
    thread is the fourth, last on page 2, which they land on as the page store's copy made
    before the post. Before the script asks for their part, a moderator approves the held
    comment, which moves the writer's thread to page 3: the private request says so, and the
    script follows the comment's permalink to the page that has it."""
    from datetime import timedelta

    from django.core.cache import caches
    from django.utils import timezone

    from comments.services.counts import refresh_article_counts
    from tests.factories import ArticleFactory, CommentFactory

    settings.COMMENTS_HOLD_FIRST_TIME = False
    settings.COMMENTS_THREADS_PER_PAGE = 2
    settings.PAGE_CACHE_SECONDS = 60  # the copy of page 2 lasts the whole test
    caches["pages"].clear()
    article = ArticleFactory(author=demo_article.author)
    long_ago = timezone.now() - timedelta(days=1)
    held = CommentFactory(article=article, status="pending", created_at=long_ago)
    CommentFactory.create_batch(3, article=article, status="approved")
    refresh_article_counts([article.pk])
    url = live_server.url + article.get_absolute_url()
    text = "Mine, on the next page once an older comment is approved."

    def approve_first(route):
        if Comment.objects.filter(pk=held.pk, status="pending").exists():
            Comment.objects.filter(pk=held.pk).update(status="approved")
            refresh_article_counts([article.pk])
        route.continue_()

    phone = new_context(**PHONE).new_page()
    phone.route("**/comments/mine/**", approve_first)
    phone.goto(url + "?page=2")  # the page store keeps this copy
    fill_form(phone, text)
    phone.locator("#submit").click()

    phone.wait_for_url(re.compile(r"\?page=3#comment-\d+$"))
    comment = Comment.objects.get(body=text)
    assert phone.url == f"{url}?page=3#comment-{comment.pk}"
    item = phone.locator(f"#comment-{comment.pk}")
    expect(item).to_contain_text(text)
    expect(item).to_be_in_viewport()
    expect(phone.locator("ol.comment-list > li.comment")).to_have_count(1)
