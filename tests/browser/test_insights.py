"""A member of Moderators reads the Insights page (issue 27) on a desktop and on a phone: the
rules table, the charts with their text alternatives, the numbers' links; axe finds nothing,
in the light and the dark admin theme."""

import os
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.helpers import PROJECT_ROOT, SCREENSHOT_DIR
from tests.comments.insights_history import build_history

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
PAGE = "/admin/comments/comment/insights/?start=2026-11-02&end=2026-11-08"
# UPDATE_SCREENSHOTS=1 writes the screenshots into docs/screenshots/ (committed).
SHOTS = (
    PROJECT_ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else SCREENSHOT_DIR
)


def assert_no_axe_violations(page):
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def log_in(page, live_server, user):
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/admin/login/?next={quote(PAGE)}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#rules-title")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_insights_page_as_a_moderator(live_server, new_context, moderators_group, width):
    history = build_history(moderators_group)
    context = new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    log_in(page, live_server, history["alice"])
    first_time = page.locator("#rules tr:has(th:text-is('first_time'))")
    expect(first_time.locator("td")).to_have_text(["2", "1", "50.0 %", "1"])
    expect(page.locator("svg[role=img] title#posted-title")).to_have_text("Comments posted per day")
    # Nothing wider than the phone's screen but the tables' own scrolling boxes.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_axe_violations(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"insights-{width}.png"), full_page=True)
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(400)  # the admin's links fade to their dark colour (0.15 s transition)
    assert_no_axe_violations(page)
    # A number leads to the comments behind it.
    first_time.locator("td a").first.click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
