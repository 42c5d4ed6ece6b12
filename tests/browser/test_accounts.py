"""Accounts as people meet them: a forgotten password reset from the admin's login page through
the email; an author the WordPress import created, invited from the admin, choosing a password
and logging in, then asked for a display name. axe finds nothing on the new pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from fitness.accounts.models import Invitation
from tests.factories import UserFactory
from tests.wordpress.conftest import EXPORT

pytestmark = pytest.mark.django_db(transaction=True)

OLD_PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new long passphrase 42"


def assert_axe_clean(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def link_in(message, kind):
    return re.search(rf"http://\S+/accounts/{kind}/\S+/", message.body).group(0)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("input[type=submit]").click()


@pytest.fixture(autouse=True)
def _links_to_the_live_server(live_server, settings):
    settings.SITE_URL = live_server.url  # emails link to SITE_URL


def test_a_forgotten_password_reset_through_the_email(live_server, page):
    UserFactory(username="alice", email="alice@example.com", is_staff=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_role("link", name="Forgotten your login credentials?").click()
    expect(page.locator("h1")).to_have_text("Forgotten your password?")
    assert_axe_clean(page)

    page.fill("#id_email", "alice@example.com")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_axe_clean(page)

    (message,) = mail.outbox
    page.goto(link_in(message, "reset"))
    expect(page.locator("h1")).to_have_text("Choose a new password")
    assert_axe_clean(page)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator("h1")).to_have_text("Your password is changed")
    assert_axe_clean(page)

    page.get_by_role("link", name="Log in").click()
    page.fill("#id_username", "alice")
    page.fill("#id_password", OLD_PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator(".errornote")).to_be_visible()  # the old one no longer works
    page.fill("#id_password", NEW_PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_contain_text("Welcome")

    page.goto(link_in(message, "reset"))
    expect(page.locator("h1")).to_have_text("This link no longer works")
    assert_axe_clean(page)


def test_an_imported_author_is_invited_chooses_a_password_and_names_themselves(
    live_server, page, new_context, authors_group
):
    if not EXPORT.is_file():
        pytest.skip(f"the shared WordPress export is not at {EXPORT} (../shared/wordpress/)")
    call_command("import_wordpress", str(EXPORT), stdout=None)
    UserFactory(username="owner", is_staff=True, is_superuser=True)

    log_in(page, live_server, "owner", OLD_PASSWORD)
    page.goto(f"{live_server.url}/admin/auth/user/")
    dana_row = page.locator("#result_list tr", has_text="dana@fitness.example")
    expect(dana_row).to_contain_text("—")  # never invited
    dana_row.locator("input.action-select").check()
    page.select_option("select[name=action]", "send_invitations")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("Invitation sent to dana")
    expect(page.locator("#result_list tr", has_text="dana@fitness.example")).to_contain_text(
        "by owner, not yet accepted"
    )

    dana = new_context().new_page()
    dana.goto(link_in(mail.outbox[-1], "invitation"))
    expect(dana.locator("h1")).to_contain_text("Welcome to")
    expect(dana.locator("main")).to_contain_text("Your username is dana")
    assert_axe_clean(dana)
    dana.fill("#id_new_password1", NEW_PASSWORD)
    dana.fill("#id_new_password2", NEW_PASSWORD)
    dana.get_by_role("button", name="Save my password").click()
    expect(dana.locator("h1")).to_have_text("Your password is saved")
    assert_axe_clean(dana)

    dana.get_by_role("link", name="Log in").click()
    dana.fill("#id_username", "dana")
    dana.fill("#id_password", NEW_PASSWORD)
    dana.locator("input[type=submit]").click()
    # Asked for a name: the login's message and the index's note both link to the page.
    expect(dana.locator(".messagelist").first).to_contain_text("no display name")
    dana.get_by_role("link", name="Set your display name").first.click()
    expect(dana.locator("#id_first_name")).to_have_value("Dana")  # the old display name
    expect(dana.locator("#id_last_name")).to_have_value("Reyes")
    assert_axe_clean(dana)
    dana.get_by_role("button", name="Save").click()
    expect(dana.locator(".messagelist")).to_contain_text("now signed “By Dana Reyes”")
    expect(dana.locator("body")).not_to_contain_text("Set your display name")
    assert Invitation.objects.get(user__username="dana").accepted_at is not None

    page.reload()
    expect(page.locator("#result_list tr", has_text="dana@fitness.example")).to_contain_text(
        "accepted on"
    )
