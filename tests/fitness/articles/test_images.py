"""The media library's images: what an upload must be, and what is made of it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from PIL import Image as PILImage

from fitness.articles.images import rendition_widths, validate_upload
from fitness.articles.models import Image
from tests.factories import ArticleFactory
from tests.fitness.articles.media_helpers import GPS_IFD, image_bytes, make_image, upload

pytestmark = pytest.mark.django_db


def opened(storage_name):
    from django.core.files.storage import default_storage

    with default_storage.open(storage_name) as file:
        picture = PILImage.open(io.BytesIO(file.read()))
        picture.load()
        return picture


def test_renditions_are_webp_at_the_configured_widths_never_upscaled():
    image = make_image(width=2000, height=1000)
    assert [r["width"] for r in image.renditions] == [480, 800, 1200, 1600]
    assert [r["height"] for r in image.renditions] == [240, 400, 600, 800]
    for rendition in image.renditions:
        picture = opened(rendition["name"])
        assert picture.format == "WEBP"
        assert picture.size == (rendition["width"], rendition["height"])
    small = make_image(width=700, height=350)
    assert [r["width"] for r in small.renditions] == [480, 700]
    assert rendition_widths(300) == [300]


def test_exif_and_gps_are_stripped_and_the_orientation_honoured():
    # Orientation 6: the camera was turned; the stored pixels are 2000x1000 but upright 1000x2000.
    image = make_image(width=2000, height=1000, exif_orientation=6, gps=True)
    assert (image.width, image.height) == (1000, 2000)
    for name in [image.file.name, *(r["name"] for r in image.renditions)]:
        picture = opened(name)
        exif = picture.getexif()
        assert not exif.get_ifd(GPS_IFD), name
        assert 0x010F not in exif and 0x0112 not in exif, name
        assert picture.width < picture.height, name
    # Turned upright: the red corner is now top-right.
    largest = opened(image.renditions[-1]["name"]).convert("RGB")
    assert largest.getpixel((largest.width - 5, 5))[0] > 200
    assert largest.getpixel((5, 5))[0] < 100


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image at all", "not an image the site can read"),
        (image_bytes(kind="JPEG")[:400], "not an image the site can read"),
        (
            image_bytes(40, 40, kind="BMP"),
            "This is a BMP image; the site takes JPEG, PNG, WebP or GIF.",
        ),
    ],
)
def test_uploads_that_are_not_acceptable_images_are_refused_in_words(content, message):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("photo.jpg", content))
    assert message in refused.value.messages[0]


def test_size_and_pixel_limits(settings):
    settings.MEDIA_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="an image may be at most 1000"):
        validate_upload(upload(width=800, height=800))
    settings.MEDIA_IMAGE_MAX_BYTES = 10**7
    settings.MEDIA_IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(
        ValidationError, match="2000 × 1000 pixels; the site takes up to 1 megapixels"
    ):
        validate_upload(upload(width=2000, height=1000))


def test_alt_text_is_required_with_a_clear_message():
    image = Image(file=upload(), alt="")
    with pytest.raises(ValidationError) as refused:
        image.full_clean()
    assert refused.value.message_dict["alt"] == [
        "Describe the image in a few words: alt text is read aloud to blind readers."
    ]


@pytest.mark.parametrize("name", ["photo.png", "photo.webp", "photo.gif"])
def test_other_formats_are_taken(name):
    image = make_image(name=name, width=900, height=600)
    assert image.file.name.endswith(name.rsplit(".", 1)[1])
    assert [r["width"] for r in image.renditions] == [480, 800, 900]


def test_share_url_is_absolute_and_near_1200_wide(settings):
    settings.SITE_URL = "https://fitness.example.com"
    image = make_image(width=2000, height=1000)
    assert image.share_url.startswith("https://fitness.example.com/media/images/")
    assert image.share_url.endswith("-1200w.webp")
    assert (image.share_width, image.share_height) == (1200, 600)


def test_picture_include_lazy_or_eager():
    image = make_image(width=2000, height=1000)
    lazy = render_to_string("fitness/includes/picture.html", {"image": image, "sizes": "50vw"})
    assert 'loading="lazy"' in lazy and "fetchpriority" not in lazy
    assert 'width="2000" height="1000"' in lazy and 'sizes="50vw"' in lazy
    assert "-480w.webp 480w" in lazy and "-1600w.webp 1600w" in lazy
    eager = render_to_string("fitness/includes/picture.html", {"image": image, "eager": True})
    assert 'fetchpriority="high"' in eager and "loading=" not in eager


def test_featured_image_in_the_article_header(client):
    image = make_image(alt="Calf stretch against a wall", width=2000, height=1000)
    article = ArticleFactory(featured_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    header = html.split("</header>")[1]
    assert 'alt="Calf stretch against a wall"' in header and 'fetchpriority="high"' in header
    media = client.get(image.src)
    assert media.status_code == 200


def test_library_image_in_the_body_has_srcset_and_lazy_loading():
    image = make_image(alt="Calf stretch", width=2000, height=1000)
    article = ArticleFactory(body=f"Before.\n\n![](image:{image.pk})\n\n![Mine](image:{image.pk})")
    assert f'src="{image.src}"' in article.body_html
    assert 'srcset="' in article.body_html and "1600w" in article.body_html
    assert 'width="2000"' in article.body_html and 'height="1000"' in article.body_html
    assert 'loading="lazy"' in article.body_html and 'alt="Calf stretch"' in article.body_html
    assert 'alt="Mine"' in article.body_html  # the author's own alt text wins
    assert article.body_problems == []


def test_an_animated_gif_keeps_its_frames_and_is_shown_as_it_is():
    frames = [PILImage.new("RGB", (300, 200), c) for c in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = Image(file=SimpleUploadedFile("jump.gif", buffer.getvalue()), alt="A jump")
    image.prepare()
    image.save()
    assert image.renditions == [] and (image.width, image.height) == (300, 200)
    assert opened(image.file.name).n_frames == 3
    html = render_to_string("fitness/includes/picture.html", {"image": image})
    assert f'src="{image.file.url}"' in html and "srcset" not in html
    assert 'width="300" height="200"' in html


def test_a_drawing_saved_as_png_gets_lossless_copies_when_they_are_smaller():
    from fitness.articles.demo import ARTICLES, demo_image

    drawing = SimpleUploadedFile("chart.png", demo_image(ARTICLES[1]["image"]))
    image = Image(file=drawing, alt="Rings")
    image.prepare()
    from django.core.files.storage import default_storage

    largest = default_storage.size(image.renditions[-1]["name"])
    assert largest < 25_000  # lossy WebP of this gradient is ~65 KB; lossless ~12 KB
