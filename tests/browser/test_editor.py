"""The article editor keeps the writer's work and labels what it asks (issue 30): an autosaved
draft survives closing the tab, a revision is restored, a caption shows under its image, a tag
is created by typing, and axe finds nothing on the add and change pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from fitness.articles.models import Article, Revision, Tag
from tests.browser.helpers import save_screenshot
from tests.factories import ArticleFactory, CategoryFactory, PageFactory, UserFactory
from tests.fitness.articles.media_helpers import make_image

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def log_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", is_staff=True, is_superuser=True, password=PASSWORD)


def serious(page):
    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def typed_then_closed(context, live_server, change, text):
    """In a tab of `context`, the editor at `change` given `text` as its body, autosaved, then
    the tab closed without saving."""
    page = context.new_page()
    log_in(page, live_server)
    page.goto(change)
    page.fill("#id_body", text)
    expect(page.locator(".autosave-status")).to_contain_text("Draft autosaved at", timeout=10_000)
    page.close()  # the tab is gone, nothing was saved


def test_an_autosaved_draft_survives_closing_the_tab(live_server, new_context, owner):
    article = ArticleFactory(title="Squats", body="Saved text.")
    context = new_context()
    change = f"{live_server.url}/admin/fitness/article/{article.pk}/change/"
    typed_then_closed(
        context, live_server, change, "Saved text.\n\nA paragraph typed and never saved."
    )

    article.refresh_from_db()
    assert article.body == "Saved text."
    page = context.new_page()
    page.goto(change)
    offer = page.locator(".autosave-offer")
    expect(offer).to_contain_text("You have unsaved text from")
    offer.get_by_role("button", name="Restore it").click()
    expect(page.locator("#id_body")).to_have_value(
        "Saved text.\n\nA paragraph typed and never saved."
    )
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert "never saved" in article.body
    assert not Revision.objects.filter(kind="autosave").exists()


def test_a_pages_autosaved_draft_survives_closing_the_tab(live_server, new_context, owner):
    about = PageFactory(title="About", slug="about", body="Saved text.")
    context = new_context()
    change = f"{live_server.url}/admin/fitness/page/{about.pk}/change/"
    typed_then_closed(context, live_server, change, "Saved text.\n\nA line typed and never saved.")

    assert Revision.objects.get(page=about, kind="autosave").body.endswith("never saved.")
    page = context.new_page()
    page.goto(change)
    page.locator(".autosave-offer").get_by_role("button", name="Restore it").click()
    expect(page.locator("#id_body")).to_have_value("Saved text.\n\nA line typed and never saved.")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    about.refresh_from_db()
    assert "never saved" in about.body
    assert not Revision.objects.filter(kind="autosave").exists()


def test_a_new_article_is_kept_in_the_browser_until_it_is_saved(live_server, new_context, owner):
    context = new_context()
    page = context.new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/fitness/article/add/")
    page.fill("#id_title", "Lunges for beginners")
    page.fill("#id_body", "Step forward, then back.")
    expect(page.locator(".autosave-status")).to_contain_text("Draft kept in this browser")
    page.close()
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/fitness/article/add/")
    page.locator(".autosave-offer").get_by_role("button", name="Restore it").click()
    expect(page.locator("#id_title")).to_have_value("Lunges for beginners")
    expect(page.locator("#id_body")).to_have_value("Step forward, then back.")


def test_a_revision_is_restored_from_its_side_by_side_view(live_server, page, owner):
    article = ArticleFactory(title="Squats", body="Breathe out at the top.")
    Revision.record(article, owner)
    article.body = "Hold your breath."
    article.save()
    Revision.record(article, owner)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/fitness/article/{article.pk}/change/")
    page.get_by_role("link", name="Revisions (2)").click()
    page.locator("table.revisions tbody tr").nth(1).get_by_role("link").click()
    expect(page.locator("table.revision-diff del")).to_have_text("Breathe out at the top.")
    expect(page.locator("table.revision-diff ins")).to_have_text("Hold your breath.")
    assert serious(page) == []
    page.get_by_role("button", name="Restore this text").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored the text of")
    expect(page.locator("#id_body")).to_have_value("Breathe out at the top.")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator(".article-body")).to_contain_text("Breathe out at the top.")


def test_a_caption_shows_under_its_image_and_a_tag_is_created_by_typing(
    live_server, page, owner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = make_image(alt="A kettlebell")
    image.caption = "A 16 kg bell"
    image.save()
    CategoryFactory(name="Strength")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/fitness/article/add/")
    assert serious(page) == []  # the add page: every input labelled
    page.fill("#id_title", "Kettlebell basics")
    page.get_by_label("Strength").check()
    page.get_by_label("Tags").fill("Kettlebells, Beginners")
    page.fill("#id_body", f"Swing it.\n\n![A kettlebell](image:{image.pk})")
    page.select_option("#id_status", "published")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert serious(page) == []  # the change page
    article = Article.objects.get(slug="kettlebell-basics")
    assert sorted(t.name for t in article.tags.all()) == ["Beginners", "Kettlebells"]
    assert Tag.objects.filter(slug="kettlebells").exists()
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    figure = page.locator(".article-body figure")
    expect(figure.locator("img")).to_have_attribute("alt", "A kettlebell")
    expect(figure.locator("figcaption")).to_have_text("A 16 kg bell")
    save_screenshot(page, "editor-caption")
