"""Uploads made to hurt (the red-team run of issue 28), met where an author meets them: the
editor's upload endpoint and the image admin. Each is refused in words, or taken cleanly, and
leaves nothing behind in MEDIA_ROOT (a fresh folder for each test)."""

import io
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from fitness.articles import images
from fitness.articles.models import Image
from tests.fitness.articles.media_helpers import (
    animated_gif,
    image_bytes,
    mpo_bytes,
    swapped_primaries_profile,
)

pytestmark = pytest.mark.django_db

UPLOAD = "admin:fitness_image_library_upload"


@pytest.fixture
def media_files(settings, tmp_path):
    """MEDIA_ROOT in a folder of this test's own; call the fixture's value to list its files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return lambda: sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def post_upload(client, name, content, alt="An upload"):
    return client.post(reverse(UPLOAD), {"file": SimpleUploadedFile(name, content), "alt": alt})


def stored(name):
    from django.core.files.storage import default_storage

    with default_storage.open(name) as file:
        return file.read()


# --- 1. an animation is bounded by frames × pixels -----------------------------------------


def test_an_animation_over_the_frames_pixels_budget_is_refused_before_decoding(
    author_client, media_files
):
    # 40 frames on a 6000 × 6000 canvas: 36 megapixels passes the still-image limit, but
    # decoding and saving every frame took 50 s and 1.4 GB in one request.
    bomb = animated_gif(frames=40, canvas=(6000, 6000))
    assert len(bomb) < 31_000
    started = time.monotonic()
    response = post_upload(author_client, "dance.gif", bomb)
    assert time.monotonic() - started < 5  # refused from the headers, no frame decoded
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "This animation is 40 frames of 6000 × 6000 pixels; the site takes animations of up to "
        "100 megapixels in all (frames × pixels). Make it smaller or shorter and upload it again."
    ]
    assert not Image.objects.exists() and media_files() == []


def test_an_animation_within_the_budget_is_taken(author_client, media_files, settings):
    settings.MEDIA_IMAGE_MAX_ANIMATION_PIXELS = 40 * 300 * 200
    response = post_upload(author_client, "jump.gif", animated_gif(300, 200, frames=40))
    assert response.status_code == 201
    image = Image.objects.get()
    assert PILImage.open(io.BytesIO(stored(image.file.name))).n_frames == 40


# --- 2. what Pillow cannot finish is refused, and leaves no file -----------------------------


def test_a_side_longer_than_webp_allows_is_refused(author_client, media_files):
    tall = image_bytes(100, 17_000, kind="PNG")
    response = post_upload(author_client, "strip.png", tall)
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "This image is 100 × 17000 pixels; the site takes up to 16,383 pixels on a side. "
        "Resize it (2400 pixels wide is plenty) and upload it again."
    ]
    assert not Image.objects.exists() and media_files() == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cut.jpg", image_bytes(2000, 1000, kind="JPEG")[:-600]),
        ("cut.gif", animated_gif(300, 200, frames=30)[:-400]),
    ],
)
def test_a_truncated_jpeg_or_gif_is_refused(author_client, media_files, name, content):
    response = post_upload(author_client, name, content)
    assert response.status_code == 400
    assert "it is damaged or cut short" in response.json()["errors"]["file"][0]
    assert not Image.objects.exists() and media_files() == []


REFUSAL = (
    "The site could not make the resized copies of this image: it may be damaged. Open it "
    "in an image editor, export it as JPEG or PNG and upload it again."
)


def test_a_pillow_failure_on_the_original_is_refused_and_writes_nothing(
    author_client, admin_client, media_files, monkeypatch
):
    def fails(*args, **kwargs):
        raise OSError("broken data stream when writing image file")

    monkeypatch.setattr(images.ImageOps, "exif_transpose", fails)
    response = post_upload(author_client, "photo.jpg", image_bytes(2000, 1000))
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [REFUSAL]
    response = admin_client.post(
        reverse("admin:fitness_image_add"),
        {"file": SimpleUploadedFile("photo.jpg", image_bytes(2000, 1000)), "alt": "Plank"},
    )
    assert response.status_code == 200  # the form again, with the refusal on the file
    assert response.context["adminform"].form.errors["file"] == [REFUSAL]
    assert not Image.objects.exists() and media_files() == []


def test_a_pillow_failure_on_the_renditions_leaves_none_and_says_why_in_the_admin(
    author_client, admin_client, media_files, monkeypatch, django_capture_on_commit_callbacks
):
    real_resize, calls = PILImage.Image.resize, []

    def second_fails(picture, *args, **kwargs):  # one rendition made, the next one fails
        calls.append(args)
        if len(calls) == 2:
            raise OSError("broken data stream when writing image file")
        return real_resize(picture, *args, **kwargs)

    monkeypatch.setattr(PILImage.Image, "resize", second_fails)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(author_client, "photo.jpg", image_bytes(2000, 1000))
    assert response.status_code == 201 and response.json()["image"]["state"] == "processing"
    image = Image.objects.get()
    assert image.state == "failed" and image.failure == REFUSAL and image.renditions == []
    assert media_files() == [Path(image.file.path)]  # the clean original: no rendition left
    assert image.img_attributes(sizes="1px")["src"] == image.file.url  # still shown
    page = admin_client.get(reverse("admin:fitness_image_change", args=[image.pk]))
    assert f"Failed: {REFUSAL}" in page.content.decode()
    listed = admin_client.get(reverse("admin:fitness_image_changelist")).content.decode()
    assert '<td class="field-state">failed</td>' in listed

    monkeypatch.setattr(PILImage.Image, "resize", real_resize)  # fixed: made again, on asking
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:fitness_image_changelist"),
            {"action": "make_renditions_again", "_selected_action": [image.pk]},
        )
    image.refresh_from_db()
    assert image.state == "ready" and len(image.renditions) == 4 and image.failure == ""


def test_a_failed_write_deletes_the_files_written_before_it(media_files, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    real_save, saves = FileSystemStorage.save, []

    def third_fails(storage, name, content, *args, **kwargs):
        saves.append(name)
        if len(saves) == 3:
            raise OSError("No space left on device")
        return real_save(storage, name, content, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", third_fails)
    image = Image(file=SimpleUploadedFile("photo.jpg", image_bytes(2000, 1000)), alt="x")
    with pytest.raises(OSError, match="No space left"):
        images.prepare(image)
    assert len(saves) == 3 and media_files() == []


# --- 3. renditions carry no colour profile, an animation no comment ---------------------------


def test_renditions_are_converted_to_srgb_and_carry_no_profile(author_client, media_files):
    profile = swapped_primaries_profile(padding=900_000)
    picture = PILImage.new("RGB", (2000, 1000), (255, 0, 0))  # red in a profile: blue in sRGB
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90, icc_profile=profile)
    response = post_upload(author_client, "wide-gamut.jpg", buffer.getvalue())
    assert response.status_code == 201
    image = Image.objects.get()
    for rendition in image.renditions:
        data = stored(rendition["name"])
        assert len(data) < 20_000, rendition  # was the profile's 900 KB and more
        copy = PILImage.open(io.BytesIO(data))
        assert "icc_profile" not in copy.info
        red, _green, blue = copy.convert("RGB").getpixel((10, 10))
        assert blue > 200 and red < 60, rendition
    original = PILImage.open(io.BytesIO(stored(image.file.name)))
    assert original.info["icc_profile"] == profile  # the original keeps its own


def test_an_animated_gif_is_stored_without_its_comments(author_client, media_files):
    gif = animated_gif(300, 200, frames=3, comment=b"Shot at 12 Rue Oberkampf")
    assert b"Oberkampf" in gif
    response = post_upload(author_client, "jump.gif", gif)
    assert response.status_code == 201
    data = stored(Image.objects.get().file.name)
    assert b"Oberkampf" not in data
    animation = PILImage.open(io.BytesIO(data))
    assert animation.n_frames == 3 and "comment" not in animation.info


# --- 4. a phone's JPEG with a second picture --------------------------------------------------


def test_a_jpeg_with_a_second_picture_is_taken_as_its_first(
    author_client, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(author_client, "phone.jpg", mpo_bytes(900, 600))
    assert response.status_code == 201
    image = Image.objects.get()
    assert image.file.name.endswith(".jpg") and (image.width, image.height) == (900, 600)
    assert [r["width"] for r in image.renditions] == [480, 800, 900]
    original = PILImage.open(io.BytesIO(stored(image.file.name)))
    assert original.format == "JPEG" and getattr(original, "n_frames", 1) == 1
    assert original.convert("RGB").getpixel((10, 10))[0] > 200  # the first picture: red
    assert len(media_files()) == 1 + len(image.renditions)
