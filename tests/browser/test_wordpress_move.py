"""A new owner moves the WordPress site in through the admin (issue 31): the shared export and
a zip of its wp-content/uploads, the progress, the report; then the imported article shows its
image, an old image address and an old date archive lead to our copies and pages."""

import zipfile

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from fitness.articles.models import Article, Image
from tests.factories import UserFactory
from tests.wordpress.conftest import EXPORT, UPLOADS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def assert_no_axe_violations(page):
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.fixture
def uploads_zip(tmp_path):
    if not EXPORT.is_file():
        pytest.skip(f"the shared WordPress export is not at {EXPORT} (../shared/wordpress/)")
    path = tmp_path / "uploads.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as made:
        for file in sorted(UPLOADS.rglob("*")):
            if file.is_file():
                made.write(file, f"wp-content/uploads/{file.relative_to(UPLOADS)}")
    return path


def test_a_new_owner_imports_the_site_with_its_uploads_and_the_old_addresses_answer(
    live_server, page, uploads_zip
):
    UserFactory(username="owner", is_staff=True, is_superuser=True, password=PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()

    page.goto(f"{live_server.url}/admin/wordpress/importrun/add/")
    expect(page.locator("h1")).to_have_text("Import from WordPress")
    page.set_input_files("#id_export", str(EXPORT))
    page.set_input_files("#id_uploads", str(uploads_zip))
    page.get_by_role("button", name="Import").click()

    # The progress, then the report: the same as the command line's.
    expect(page.get_by_role("status")).to_contain_text("Import done.", timeout=60_000)
    report = page.locator("pre.wordpress-report")
    expect(report).to_contain_text("Images: 1 new, 0 already here")
    expect(report).to_contain_text("Comments: 23 new (20 approved, 2 pending, 0 spam, 1 removed)")
    progress = page.locator(".import-progress li")
    assert progress.count() >= 2 and progress.last.is_visible()
    assert not progress.first.is_visible()  # only the latest step is shown
    assert_no_axe_violations(page)

    # The imported guide shows its featured image, really loaded, from the media library.
    guide = Article.objects.get(slug="understanding-muscle-twitching-guide")
    page.goto(f"{live_server.url}{guide.get_absolute_url()}")
    featured = page.locator("figure.article-figure img")
    expect(featured).to_have_attribute("alt", "A green card with a white circle")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=featured.element_handle()
    )

    # An old image address (WordPress's 300 px copy) lands on our copy of that image.
    image = Image.objects.get()
    response = page.goto(f"{live_server.url}/wp-content/uploads/2026/12/twitch-guide-300x158.png")
    assert response.ok and response.headers["content-type"] == "image/webp"
    assert page.url.startswith(f"{live_server.url}{image.file.storage.url('')}")

    # An old date archive is an archive page here, in the site's look, with its article.
    page.goto(f"{live_server.url}/2011/06/")
    expect(page.locator("h1")).to_have_text("June 2011")
    expect(page.locator("header.archive-header")).to_contain_text(
        "1 article published in June 2011"
    )
    page.get_by_role("link", name=guide.title).first.click()
    expect(page).to_have_url(f"{live_server.url}{guide.get_absolute_url()}")
    # And the article's date leads back to its month.
    page.locator("a.article-date").click()
    expect(page).to_have_url(f"{live_server.url}/2011/06/")
    assert_no_axe_violations(page)

    # WordPress's own queries go where WordPress sent them.
    page.goto(f"{live_server.url}/?s=cramps")
    expect(page.locator("h1")).to_contain_text("Search results for “cramps”")
    page.goto(f"{live_server.url}/?m=201003")
    expect(page).to_have_url(f"{live_server.url}/2010/03/")
