"""The foundation's first browser test: from the home page to the guide and its table."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_links_to_the_guide_whose_table_is_visible(live_server, page):
    call_command("load_demo", stdout=None)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Understanding Muscle Twitching").first.click()
    expect(page.locator("h1")).to_contain_text("Understanding Muscle Twitching")
    table = page.locator(".article-body table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("Condition")
