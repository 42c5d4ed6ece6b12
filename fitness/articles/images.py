"""
Uploaded images: checked, turned upright, stripped of metadata, resized into renditions.

Everything Pillow does for the media library is here, called once when an image is uploaded
(the admin, the article editor's library, the demo): `validate_upload` says in words what is
wrong with a file, `prepare` replaces the upload by a clean copy and writes the renditions.

Renditions are WebP: about a third smaller than JPEG at the same quality, with PNG's
transparency (lossless for a PNG or GIF when that is smaller: drawings, charts), and shown by
every browser the site supports (Safari since 14), so one `srcset` of one format serves
everyone and no `<picture>` element is needed. Animated GIF and WebP keep only their original
(a still rendition would lose the animation).
"""

import io
import logging
import secrets
import time
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)

# Pillow's format name -> the file extension the clean original is stored under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
FORMAT_NAMES = "JPEG, PNG, WebP or GIF"
RENDITION_QUALITY = 80


def upload_to(image, filename):
    """Where an upload is stored: images/YYYY/MM/<its name>-<8 random hex>.<ext>. A name is
    never used twice, so a browser or CDN may cache a file for ever."""
    path = PurePosixPath(filename)
    stem = slugify(path.stem)[:60] or "image"
    return f"images/{timezone.now():%Y/%m}/{stem}-{secrets.token_hex(4)}{path.suffix.lower()}"


def validate_upload(file):
    """Raise ValidationError, in words an author can act on, unless `file` is an image the site
    takes: a real JPEG, PNG, WebP or GIF within MEDIA_IMAGE_MAX_BYTES and MEDIA_IMAGE_MAX_PIXELS."""
    limit = settings.MEDIA_IMAGE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            "This file is %(size)s; an image may be at most %(limit)s. Export it smaller "
            "(2400 pixels wide is plenty) and upload it again.",
            code="too_big",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    try:
        file.seek(0)
        with PILImage.open(file) as image:
            kind, (width, height) = image.format, image.size
            image.verify()  # reads the whole file: a truncated or forged one fails here
    except PILImage.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not an image the site can read (or it is damaged). "
            f"Upload a {FORMAT_NAMES} file.",
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            "This is a %(kind)s image; the site takes %(formats)s.",
            code="format",
            params={"kind": kind, "formats": FORMAT_NAMES},
        )
    if width * height > settings.MEDIA_IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height)


def _too_many_pixels(width=None, height=None):
    size = f"{width} × {height} pixels" if width else "too many pixels"
    megapixels = settings.MEDIA_IMAGE_MAX_PIXELS / 1_000_000
    return ValidationError(
        f"This image is {size}; the site takes up to {megapixels:g} megapixels. "
        "Resize it (2400 pixels wide is plenty) and upload it again.",
        code="too_many_pixels",
    )


def rendition_widths(source_width):
    """The widths to make for an image `source_width` pixels wide: those of
    MEDIA_IMAGE_WIDTHS below it, and the source's own width when it is below the largest
    (never upscaled)."""
    widths = sorted(settings.MEDIA_IMAGE_WIDTHS)
    chosen = [width for width in widths if width < source_width]
    if source_width <= widths[-1]:
        chosen.append(source_width)
    else:
        chosen.append(widths[-1])
    return sorted(set(chosen))


def prepare(image):
    """Replace `image.file` (a fresh upload) by a clean copy, upright and without EXIF/GPS, and
    write its renditions to the same storage. Sets width, height and renditions; the caller
    saves the row. Returns the seconds it took."""
    started = time.perf_counter()
    upload = image.file
    upload.seek(0)
    with PILImage.open(upload) as source:
        kind = source.format
        animated = getattr(source, "is_animated", False)
        icc_profile = source.info.get("icc_profile")
        if animated:
            # Frames are kept as they are: re-encoding an animation here is not worth it.
            # GIF carries no EXIF; an animated WebP's EXIF chunk is dropped by re-saving below.
            upright = source
            upload.seek(0)
            clean_bytes = _save_animation(source, kind)
        else:
            upright = ImageOps.exif_transpose(source)
            upright.info = {}
            clean_bytes = _encode(upright, kind, icc_profile=icc_profile)
        width, height = upright.size
        stem = PurePosixPath(upload.name).stem
        image.file.save(f"{stem}.{FORMATS[kind]}", ContentFile(clean_bytes), save=False)
        image.width, image.height = width, height
        image.renditions = [] if animated else _write_renditions(image, upright, icc_profile, kind)
    elapsed = time.perf_counter() - started
    log.info(
        "image prepared name=%s size=%dx%d renditions=%d ms=%.0f",
        image.file.name,
        width,
        height,
        len(image.renditions),
        elapsed * 1000,
    )
    return elapsed


def _write_renditions(image, upright, icc_profile, kind):
    storage, name = image.file.storage, PurePosixPath(image.file.name)
    renditions = []
    for width in rendition_widths(upright.width):
        height = max(1, round(upright.height * width / upright.width))
        resized = (
            upright if width == upright.width else upright.resize((width, height), PILImage.LANCZOS)
        )
        data = _encode(resized, "WEBP", icc_profile=icc_profile)
        if kind in {"PNG", "GIF"}:
            # Drawings, charts and screenshots: lossless WebP is often a fifth of lossy's size
            # (and sharper); a photo saved as PNG keeps the lossy copy. The smaller one wins.
            lossless = _encode(resized, "WEBP", icc_profile=icc_profile, lossless=True)
            data = min(data, lossless, key=len)
        stored = storage.save(str(name.with_name(f"{name.stem}-{width}w.webp")), ContentFile(data))
        renditions.append({"name": stored, "width": width, "height": height})
    return renditions


def _encode(picture, kind, *, icc_profile=None, lossless=False):
    """The picture as `kind` bytes with no metadata but its colour profile."""
    if kind in {"JPEG"} and picture.mode not in {"RGB", "L"}:
        picture = picture.convert("RGB")
    elif kind == "WEBP" and picture.mode not in {"RGB", "RGBA"}:
        has_alpha = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")
    options = {
        "JPEG": {"quality": 90, "optimize": True},
        "PNG": {"optimize": True},
        "WEBP": (
            {"lossless": True, "quality": 50, "method": 2}
            if lossless
            else {"quality": RENDITION_QUALITY, "method": 4}
        ),
        "GIF": {},
    }[kind]
    if icc_profile and kind != "GIF":
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def _save_animation(source, kind):
    buffer = io.BytesIO()
    source.save(buffer, kind, save_all=True, loop=source.info.get("loop", 0))
    return buffer.getvalue()


def delete_files(image):
    """Remove an image's original and renditions from its storage."""
    storage = image.file.storage
    for name in [image.file.name, *(r["name"] for r in image.renditions)]:
        if name:
            storage.delete(name)
