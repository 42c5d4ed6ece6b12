"""Images made here with Pillow for the media tests (nothing fetched from outside)."""

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageCms

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


def animated_gif(width=60, height=60, frames=3, *, canvas=None, comment=b""):
    """An animated GIF of `frames` solid frames; `canvas` (width, height) writes a larger
    logical screen into the header, as a hostile file does: the bytes stay a few KB while
    every decoded frame is a canvas of that size."""
    pictures = [PILImage.new("RGB", (width, height), (n * 6 % 256, 90, 160)) for n in range(frames)]
    buffer = io.BytesIO()
    options = {"comment": comment} if comment else {}
    pictures[0].save(
        buffer, "GIF", save_all=True, append_images=pictures[1:], duration=80, loop=0, **options
    )
    data = bytearray(buffer.getvalue())
    if canvas:
        data[6:10] = struct.pack("<HH", *canvas)
    return bytes(data)


def mpo_bytes(width=900, height=600):
    """A JPEG with a second picture after the first (MPO, as some phones write): red, then
    blue."""
    first = PILImage.new("RGB", (width, height), (220, 20, 20))
    second = PILImage.new("RGB", (width, height), (20, 20, 220))
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def swapped_primaries_profile(padding=900_000):
    """A valid ICC profile (Pillow's sRGB with its red and blue primaries swapped), padded to
    about `padding` bytes: pure red in it is pure blue in sRGB."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    entries = {}
    for n in range(struct.unpack(">I", profile[128:132])[0]):
        signature, offset, size = struct.unpack(">4sII", profile[132 + 12 * n : 144 + 12 * n])
        entries[signature] = (n, offset, size)
    (red, *red_at), (blue, *blue_at) = entries[b"rXYZ"], entries[b"bXYZ"]
    struct.pack_into(">4sII", profile, 132 + 12 * red, b"rXYZ", *blue_at)
    struct.pack_into(">4sII", profile, 132 + 12 * blue, b"bXYZ", *red_at)
    profile += bytes(padding)
    struct.pack_into(">I", profile, 0, len(profile))
    return bytes(profile)
