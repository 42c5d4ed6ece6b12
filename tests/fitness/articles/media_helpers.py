"""Images made here with Pillow for the media tests (nothing fetched from outside)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(width=2000, height=1000, kind="JPEG", *, exif_orientation=None, gps=False):
    picture = PILImage.new("RGB", (width, height), (30, 130, 80))
    # A red block in the top-left corner, to see which way up a copy is.
    picture.paste((220, 20, 20), (0, 0, width // 4, height // 4))
    options = {}
    if exif_orientation or gps:
        exif = PILImage.Exif()
        if exif_orientation:
            exif[ORIENTATION] = exif_orientation
        if gps:
            exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
        exif[0x010F] = "TestCam"  # Make
        options["exif"] = exif
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def upload(name="photo.jpg", **kwargs):
    kind = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}[name.rsplit(".", 1)[1]]
    return SimpleUploadedFile(name, image_bytes(kind=kind, **kwargs))


def make_image(alt="A runner stretching", name="photo.jpg", **kwargs):
    from fitness.articles.models import Image

    image = Image(file=upload(name, **kwargs), alt=alt)
    image.prepare()
    image.save()
    return image
