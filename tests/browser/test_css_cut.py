"""The site ships Bootstrap cut down to what its markup uses (`make css`): it must look exactly
as it would with the whole of Bootstrap. Each page is drawn twice, once as served and once with
the full vendor file swapped in for the cut-down one, and the two pictures must be the same."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image as PILImage
from PIL import ImageChops

pytestmark = pytest.mark.django_db(transaction=True)

FULL = Path(settings.BASE_DIR, "static/vendor/bootstrap/css/bootstrap.min.css").read_bytes()
ARTICLE = "/articles/why-do-muscles-twitch-after-a-workout/"


def picture(page, url, *, full_bootstrap, before=None):
    page.unroute("**/*bootstrap.site*.css")
    if full_bootstrap:
        page.route(
            "**/*bootstrap.site*.css",
            lambda route: route.fulfill(body=FULL, content_type="text/css"),
        )
    page.goto(url)
    if before:
        before(page)
    # Lazy images are asked for at once, and the picture waits until every image is drawn.
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.evaluate("() => Promise.all([...document.images].map(i => i.decode().catch(() => 0)))")
    page.evaluate("document.fonts.ready")
    return page.screenshot(full_page=True, animations="disabled", caret="hide")


# Chromium now and then draws an image's anti-aliased rounded edge a shade apart between two
# loads (one 30-pixel line seen); a rule that went missing moves thousands.
NOISE = 100


def differing_pixels(first, second):
    a, b = (PILImage.open(io.BytesIO(png)).convert("RGB") for png in (first, second))
    if a.size != b.size:
        return a.width * a.height
    mask = ImageChops.difference(a, b).convert("L").point(lambda value: 255 if value else 0)
    return mask.histogram()[255]


def submit_empty_comment(page):
    page.locator("#commentform #submit").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", [(390, 844), (1280, 900)], ids=["390", "1280"])
@pytest.mark.parametrize(
    "path,before",
    [("/", None), (ARTICLE, None), (ARTICLE, submit_empty_comment), ("/privacy/", None)],
    ids=["home", "article", "article-form-errors", "privacy"],
)
def test_the_cut_down_css_draws_the_page_as_the_whole_bootstrap_does(
    live_server, new_context, viewport, path, before
):
    call_command("load_demo", stdout=None)
    width, height = viewport
    page = new_context(viewport={"width": width, "height": height}).new_page()
    assert "bootstrap.site" in page.goto(live_server.url + path).text()
    served = picture(page, live_server.url + path, full_bootstrap=False, before=before)
    whole = picture(page, live_server.url + path, full_bootstrap=True, before=before)
    assert differing_pixels(served, whole) <= NOISE, (
        f"{path} at {width} px looks different with the whole of Bootstrap"
    )
