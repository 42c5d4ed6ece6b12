"""A new owner changes the site's tagline in the admin (Site settings) and sees it on the home
page and in the feed at once, without a restart (issue 31). The pages stay axe-clean."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def assert_no_axe_violations(page):
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_the_owner_changes_the_tagline_and_sees_it_on_the_home_page_and_feed(live_server, page):
    ArticleFactory(title="Calf raises for runners")
    UserFactory(username="owner", is_staff=True, is_superuser=True, password=PASSWORD)
    page.goto(live_server.url + "/")
    expect(page.locator(".site-tagline")).to_have_count(0)

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.get_by_role("link", name="Site settings").click()
    expect(page.locator("h1")).to_contain_text("Change site settings")
    assert_no_axe_violations(page)
    page.get_by_label("Site title").fill("Calf Club")
    page.get_by_label("Tagline").fill("Stronger calves, fewer cramps")
    page.get_by_label("Description").fill("Articles for runners whose calves cramp.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Calf Club", exact=True)).to_be_visible()
    expect(page.locator(".site-tagline")).to_have_text("Stronger calves, fewer cramps")
    expect(page).to_have_title("Calf Club: Stronger calves, fewer cramps")
    description = page.locator('meta[name="description"]')
    expect(description).to_have_attribute("content", "Articles for runners whose calves cramp.")
    assert_no_axe_violations(page)

    feed = page.request.get(live_server.url + "/feed/").text()
    assert "<title>Calf Club: latest articles</title>" in feed
    assert "<description>Articles for runners whose calves cramp.</description>" in feed
