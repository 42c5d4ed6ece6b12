"""An old WordPress link to a comment (/2010/03/15/post/#comment-9) lands on that comment here.

The server never sees `#comment-9`, and our comment 9 is another comment: the 301 carries a flag
and the article's script asks /comments/wordpress/9/ where WordPress's comment 9 is now."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.wordpress.conftest import EXPORT, SEED_LINK, SEED_SLUG
from wordpress.models import ImportedComment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def imported():
    if not EXPORT.is_file():
        pytest.skip(f"the shared WordPress export is not at {EXPORT} (../shared/wordpress/)")
    call_command("import_wordpress", str(EXPORT), stdout=None)


def test_an_old_comment_link_lands_on_that_comment_not_on_ours_with_its_number(
    live_server, page, imported
):
    wordpress_nine = ImportedComment.objects.get(source_id=9).comment
    assert wordpress_nine.pk != 9  # else this test would prove nothing
    page.goto(f"{live_server.url}{SEED_LINK}#comment-9")
    expect(page).to_have_url(f"{live_server.url}/articles/{SEED_SLUG}/#comment-{wordpress_nine.pk}")
    target = page.locator(f"#comment-{wordpress_nine.pk}")
    expect(target).to_contain_text(wordpress_nine.author_name)
    expect(target).to_be_in_viewport()


def test_an_old_post_link_lands_on_the_clean_address(live_server, page, imported):
    page.goto(f"{live_server.url}{SEED_LINK}")
    expect(page).to_have_url(f"{live_server.url}/articles/{SEED_SLUG}/")
    expect(page.locator("h1")).to_contain_text("Why Do Muscles Twitch")
