"""An author's images: upload from the article's media library, insert into the body, see it in
the preview, publish, and the reader's page loads it (srcset, width/height, really loaded);
script and iframes in the body are named in the preview and after the save."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from fitness.articles.models import Article, Image
from tests.browser.helpers import save_screenshot
from tests.factories import ArticleFactory, UserFactory
from tests.fitness.articles.media_helpers import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_page(live_server, page):
    UserFactory(username="owner", is_staff=True, is_superuser=True, password=PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def test_upload_insert_preview_publish_and_the_reader_sees_the_image(live_server, admin_page):
    page = admin_page
    article = ArticleFactory(title="Stretching after a run", status="draft", body="Warm up first.")
    page.goto(f"{live_server.url}/admin/fitness/article/{article.pk}/change/")
    expect(page.locator("#body-preview-body")).to_contain_text("Warm up first.")

    # Cursor at the end of the body, then the media library: upload with alt text.
    page.locator("#id_body").focus()
    page.keyboard.press("Control+End")
    page.get_by_text("Media library: insert an image").click()
    page.set_input_files(
        "#media-upload-file",
        files=[{"name": "calf.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(1800, 900)}],
    )
    page.fill("#media-upload-alt", "A runner stretching her calf against a wall")
    page.get_by_role("button", name="Upload and insert").click()
    expect(page.locator("#media-upload-status")).to_contain_text("Uploaded and inserted")
    image = Image.objects.get()
    expect(page.locator("#id_body")).to_have_value(
        f"Warm up first.\n\n![A runner stretching her calf against a wall](image:{image.pk})"
    )
    preview_img = page.locator("#body-preview-body img")
    expect(preview_img).to_have_attribute("srcset", image.srcset)
    expect(preview_img).to_have_attribute("width", "1800")

    # It is also the featured image; publish.
    page.get_by_role(
        "button", name="Use A runner stretching her calf against a wall as the featured image"
    ).click()
    expect(page.locator("#id_featured_image")).to_have_value(str(image.pk))
    page.select_option("#id_status", "published")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.featured_image == image

    reader = page.context.browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    try:
        reader.goto(f"{live_server.url}{article.get_absolute_url()}")
        featured = reader.locator("header img")
        expect(featured).to_have_attribute("fetchpriority", "high")
        body_img = reader.locator(".article-body img")
        expect(body_img).to_have_attribute("loading", "lazy")
        expect(body_img).to_have_attribute("width", "1800")
        expect(body_img).to_have_attribute("height", "900")
        assert "480w" in body_img.get_attribute("srcset")
        body_img.scroll_into_view_if_needed()
        for img in (featured, body_img):
            img.evaluate("el => el.decode()")
            assert img.evaluate("el => el.complete && el.naturalWidth") > 0
        # A phone gets a narrow copy, not the original.
        assert "-480w.webp" in body_img.evaluate("el => el.currentSrc") or "-800w.webp" in (
            body_img.evaluate("el => el.currentSrc")
        )
        save_screenshot(reader, "media-article-390")
    finally:
        reader.context.close()


def test_script_and_iframe_are_named_in_the_preview_and_after_saving(live_server, admin_page):
    page = admin_page
    article = ArticleFactory(title="Embeds", body="Hello.")
    page.goto(f"{live_server.url}/admin/fitness/article/{article.pk}/change/")
    page.fill(
        "#id_body",
        'Hello.\n\n<script>alert("hi")</script>\n\n'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>\n',
    )
    problems = page.locator("#body-preview-problems")
    expect(problems).to_contain_text("<script> was removed: scripts never run")
    expect(problems).to_contain_text("<iframe> was removed: embedded players are not allowed")
    page.locator("input[name=_continue]").click()
    warnings = page.locator(".messagelist .warning")
    expect(warnings.filter(has_text="<script> was removed")).to_be_visible()
    expect(warnings.filter(has_text="<iframe> was removed")).to_be_visible()


def test_a_video_loads_nothing_from_youtube_until_the_reader_clicks(live_server, page):
    article = ArticleFactory(
        title="A stretch to watch",
        body="Try this.\n\n[The calf stretch](https://youtu.be/dQw4w9WgXcQ)\n",
    )
    asked = []
    # Nothing leaves this machine: requests to the players are recorded, then refused.
    page.route(
        lambda url: "youtube" in url or "vimeo" in url,
        lambda route: (asked.append(route.request.url), route.abort()),
    )
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    link = page.get_by_role(
        "link", name="Play The calf stretch (from YouTube, loads when you click)"
    )
    expect(link).to_have_attribute("href", "https://youtu.be/dQw4w9WgXcQ")
    page.wait_for_load_state("networkidle")
    assert asked == []
    link.click()
    frame = page.locator(".article-body iframe.video-frame")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    expect(frame).to_have_attribute("title", "The calf stretch (YouTube)")
    page.wait_for_timeout(300)
    assert asked and all(url.startswith("https://www.youtube-nocookie.com/") for url in asked)
    assert page.url.endswith(article.get_absolute_url())  # the page stayed


def test_an_upload_says_processing_until_its_renditions_are_made(live_server, admin_page, settings):
    """Renditions are made by a task after the upload answers (issue 28): the editor says so,
    shows the original meanwhile, and asks again until they are ready."""
    from fitness.articles import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = admin_page
    article = ArticleFactory(title="Rowing", status="draft", body="Pull.")
    page.goto(f"{live_server.url}/admin/fitness/article/{article.pk}/change/")
    page.locator("#id_body").focus()
    page.keyboard.press("Control+End")
    page.get_by_text("Media library: insert an image").click()
    page.set_input_files(
        "#media-upload-file",
        files=[{"name": "row.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(1000, 500)}],
    )
    page.fill("#media-upload-alt", "A rower at the catch")
    page.get_by_role("button", name="Upload and insert").click()
    status = page.locator("#media-upload-status")
    expect(status).to_contain_text("Processing…")
    image = Image.objects.get()
    item = page.locator(f"#media-library-list li[data-image-id='{image.pk}']")
    expect(item.locator(".media-state")).to_contain_text("Processing…")
    preview_img = page.locator("#body-preview-body img")
    expect(preview_img).to_have_attribute("src", image.file.url)  # the original, meanwhile
    assert preview_img.get_attribute("srcset") is None
    save_screenshot(page, "media-processing")
    violations = Axe().run(page, context="#media-library").response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []

    # The worker's turn (the live server's thread enqueued it in its own dummy backend).
    assert tasks.make_renditions.call(image.pk, image.file.name) == "ready"
    image.refresh_from_db()
    expect(status).to_contain_text("are ready", timeout=10_000)
    expect(item.locator(".media-state")).to_have_count(0)
    expect(
        page.locator(f"#media-library-list li[data-image-id='{image.pk}'] img")
    ).to_have_attribute("src", image.thumb_url)
    expect(preview_img).to_have_attribute("srcset", image.srcset)
    # The editor would autosave the inserted Markdown when the page goes (pagehide), after
    # the test's database: let it autosave now.
    page.locator("#id_body").dispatch_event("input")
    expect(page.locator(".autosave-status")).to_contain_text("autosaved", timeout=15_000)
    page.goto("about:blank")
