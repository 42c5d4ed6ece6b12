"""No third-party requests: every request the article page makes goes to the site itself.

The browser records every request (documents, styles, scripts, images, fonts, XHR) while a
reader reads the demo article, scrolls through its 20 comments, opens the reply form under
a comment and sends a reply; anything lazily loaded would show up here.
"""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from comments.services.demo import ARTICLE_SLUG

# Requests that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def demo_article_url(live_server, settings):
    settings.AKISMET_API_KEY = ""  # screening by the local rules: no network from the server
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0  # the test types faster than people do
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return f"{live_server.url}/articles/{ARTICLE_SLUG}/"


@pytest.fixture
def requests_made(page):
    """Every URL the page asks for, in order, as the browser sends it."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_article_page_makes_no_third_party_requests(
    page, requests_made, demo_article_url, live_server
):
    page.goto(demo_article_url, wait_until="networkidle")
    expect(page.locator("#comments")).to_contain_text("Tina Shute")
    expect(page.locator("#commentform")).to_be_visible()

    # Scroll to the end in steps, so that anything loaded on scroll is requested.
    for _ in range(10):
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(100)
    page.locator("#commentform").scroll_into_view_if_needed()

    page.get_by_role("link", name="Reply to Tina Shute").click()
    expect(page.locator("#reply-title")).to_contain_text("Leave a Reply to Tina Shute")
    form = page.locator("#commentform")
    form.locator("textarea[name=comment]").fill("Thank you, magnesium helped me too.")
    form.locator("input[name=name]").fill("Robin")
    form.locator("input[name=email]").fill("robin@example.com")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("Thank you, magnesium helped me too.")

    site = origin(live_server.url)
    recorded = [url for url in requests_made if urlsplit(url).scheme not in LOCAL_SCHEMES]
    elsewhere = [url for url in recorded if origin(url) != site]
    assert elsewhere == [], f"requests to other sites: {elsewhere}"
    # The recorder saw the page's own files, so an empty list above means something.
    assert any(url.endswith(".css") for url in recorded)
    assert any(url.endswith("comments.js") for url in recorded)
    assert sum(1 for url in recorded if urlsplit(url).path.startswith("/articles/")) >= 2
