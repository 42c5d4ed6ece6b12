"""The blog on a phone: search from the header box, the categories in the header, and an
article page whose JSON-LD raises no Content-Security-Policy error."""

import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = "Understanding Muscle Twitching – A Simple Guide"
SEED = "Why Do Muscles Twitch After a Workout?"


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_search_from_the_header_on_a_phone(live_server, phone_page):
    call_command("load_demo", stdout=None)
    page = phone_page
    page.goto(live_server.url + "/privacy/")
    box = page.get_by_role("searchbox", name="Search articles").first
    expect(box).to_be_visible()
    box.fill("table symptoms")
    box.press("Enter")
    expect(page.locator("h1")).to_contain_text("Search results for “table symptoms”")
    expect(page.get_by_role("status")).to_contain_text("1 article found.")
    card = page.locator(".article-card")
    expect(card).to_have_count(1)
    expect(card.locator("mark").first).to_be_visible()
    assert no_sideways_scroll(page)
    card.get_by_role("link", name=f"Read more about {GUIDE}").click()
    expect(page.locator("h1")).to_have_text(GUIDE)

    # Nothing typed: a message, not an error.
    page.get_by_role("searchbox", name="Search articles").first.fill("   ")
    page.get_by_role("button", name="Search").first.click()
    expect(page.get_by_role("status")).to_contain_text("Type a word or two")


def test_the_header_categories_lead_to_their_archives_on_a_phone(live_server, phone_page):
    call_command("load_demo", stdout=None)
    page = phone_page
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Categories")
    expect(menu.get_by_role("link")).to_have_text(["Fitness", "Health"])
    assert no_sideways_scroll(page)
    menu.get_by_role("link", name="Health").click()
    expect(page.locator("h1")).to_have_text("Health")
    expect(page.locator(".archive-header .lead")).to_contain_text("when to see a doctor")
    expect(page.locator(".article-card h2")).to_have_text([GUIDE])
    expect(menu.get_by_role("link", name="Health")).to_have_attribute("aria-current", "page")
    # From a card's category link to another archive.
    page.locator(".article-card .article-category").get_by_role("link", name="Fitness").click()
    expect(page.locator(".article-card h2")).to_have_text([GUIDE, SEED])


def test_the_article_page_json_ld_breaks_no_csp(live_server, page):
    call_command("load_demo", stdout=None)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else 0)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/articles/why-do-muscles-twitch-after-a-workout/")
    expect(page.locator(".article-author")).to_have_text("Fitness editors")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "BlogPosting" and len(data["comment"]) == 20
    assert not [p for p in problems if "Content Security Policy" in p or "CSP" in p], problems
    assert page.evaluate("document.querySelector('meta[http-equiv]') === null")
