"""
Uploaded images: checked, turned upright, stripped of metadata, resized into renditions.

Everything Pillow does for the media library is here. An upload's request (the admin, the
article editor's library) does the cheap part: `validate_upload` says in words what is wrong
with a file (headers, size, sides, frames × pixels, every frame decoded), `render_original`
makes the clean original (upright, without EXIF/GPS) and `store_original` writes it, leaving a
still picture "processing"; the renditions, most of the work, are made afterwards by a task
(fitness/articles/tasks.py) with `make_renditions` (`render_renditions`, then
`write_renditions`). The command line (the demo, the WordPress import) does it all at once:
`prepare` (`render`, then `store`). Nothing is written until Pillow has finished, so a file
Pillow fails on leaves no file behind.

Renditions are WebP: about a third smaller than JPEG at the same quality, with PNG's
transparency (lossless for a PNG or GIF when that is smaller: drawings, charts), and shown by
every browser the site supports (Safari since 14), so one `srcset` of one format serves
everyone and no `<picture>` element is needed. They are in sRGB and carry no colour profile,
comment or other metadata. Animated GIF, PNG and WebP keep only their original (a still
rendition would lose the animation). A JPEG holding a second picture (MPO, written by some
phones) is taken as its first picture.
"""

import io
import logging
import secrets
import time
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)

# Pillow's format name -> the format the clean original is saved in, and its file extension.
FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
FORMAT_NAMES = "JPEG, PNG, WebP or GIF"
RENDITION_QUALITY = 80
MAX_SIDE = 16383  # WebP's limit, so the largest side a rendition or a WebP original may have
SRGB = ImageCms.createProfile("sRGB")
# What a hostile or damaged file makes Pillow raise while it is opened and decoded.
PILLOW_FAILURES = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


def upload_to(image, filename):
    """Where an upload is stored: images/YYYY/MM/<its name>-<8 random hex>.<ext>. A name is
    never used twice, so a browser or CDN may cache a file for ever."""
    path = PurePosixPath(filename)
    stem = slugify(path.stem)[:60] or "image"
    return f"images/{timezone.now():%Y/%m}/{stem}-{secrets.token_hex(4)}{path.suffix.lower()}"


def validate_upload(file):
    """Raise ValidationError, in words an author can act on, unless `file` is an image the site
    takes: a real, whole JPEG, PNG, WebP or GIF within MEDIA_IMAGE_MAX_BYTES, MAX_SIDE on each
    side, MEDIA_IMAGE_MAX_PIXELS, and (an animation) MEDIA_IMAGE_MAX_ANIMATION_PIXELS for its
    frames × pixels. The limits are read from the file's headers before any pixel is decoded;
    then every frame is decoded (a JPEG at an eighth of its size), so a truncated file is
    refused here rather than failing later."""
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
            _check_headers(image)
            _decode_every_frame(image)
    except PILImage.DecompressionBombError:
        raise _too_many_pixels() from None
    except PILLOW_FAILURES:
        raise ValidationError(
            "This file is not an image the site can read (or it is damaged or cut short). "
            f"Upload a {FORMAT_NAMES} file.",
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)


def _check_headers(image):
    """The refusals that need only the headers: the format, the sides, the pixels, and an
    animation's frames × pixels (GIF frames are counted without decoding them)."""
    if image.format not in FORMATS:
        raise ValidationError(
            "This is a %(kind)s image; the site takes %(formats)s.",
            code="format",
            params={"kind": image.format, "formats": FORMAT_NAMES},
        )
    width, height = image.size
    if max(width, height) > MAX_SIDE:
        raise ValidationError(
            f"This image is {width} × {height} pixels; the site takes up to {MAX_SIDE:,} pixels "
            "on a side. Resize it (2400 pixels wide is plenty) and upload it again.",
            code="too_long_a_side",
        )
    if width * height > settings.MEDIA_IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    frames = _frames(image)
    budget = settings.MEDIA_IMAGE_MAX_ANIMATION_PIXELS
    if frames * width * height > budget:
        raise ValidationError(
            f"This animation is {frames} frames of {width} × {height} pixels; the site takes "
            f"animations of up to {budget / 1_000_000:g} megapixels in all (frames × pixels). "
            "Make it smaller or shorter and upload it again.",
            code="too_many_frames",
        )


def _frames(image):
    """How many pictures of `image` the site keeps: an MPO's first only."""
    return 1 if image.format == "MPO" else getattr(image, "n_frames", 1)


def _decode_every_frame(image):
    if FORMATS[image.format] == "JPEG":
        # All of the compressed data is read at an eighth of the size: a cut file still fails.
        image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
    for frame in range(_frames(image)):
        image.seek(frame)
        image.load()


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


@dataclass(frozen=True)
class Original:
    """The clean original Pillow made of an upload (upright, no EXIF/GPS), not yet written."""

    filename: str  # the upload's stem, the format's extension
    data: bytes
    width: int
    height: int
    still: bool  # a still picture gets renditions; an animation keeps only its original


@dataclass(frozen=True)
class Rendered:
    """What Pillow made of an upload, not yet written anywhere."""

    filename: str  # the clean original's name: the upload's stem, the format's extension
    original: bytes
    width: int
    height: int
    renditions: list[tuple[int, int, bytes]]  # (width, height, WebP bytes), narrowest first


def prepare(image):
    """Replace `image.file` (a fresh upload) by a clean copy, upright and without EXIF/GPS, and
    write its renditions to the same storage, all at once (the command line: the WordPress
    import, the demo; a request uses `render_original` and the renditions task). Sets width,
    height and renditions; the caller saves the row. Raises ValidationError, with nothing
    written, when Pillow fails on the file. Returns the seconds it took."""
    started = time.perf_counter()
    store(image, render(image.file))
    return time.perf_counter() - started


def render_original(file):
    """The part of Pillow's work an upload's request does (validated by `validate_upload`), in
    memory: the clean original, upright, without EXIF/GPS (a reader may see it before its
    renditions exist). A Pillow failure is a ValidationError in words."""
    return _with_pillow(file, lambda source, stem: _original(source, stem)[0], "original")


def render(file):
    """All of Pillow's work on an upload (validated by `validate_upload`), in memory: the
    clean original and the renditions. Any failure of Pillow on the file is a ValidationError
    in words, raised before anything is written."""

    def both(source, stem):
        original, upright, icc_profile = _original(source, stem)
        kind = FORMATS[source.format]
        made = _renditions(upright, icc_profile, kind) if original.still else []
        return Rendered(original.filename, original.data, original.width, original.height, made)

    return _with_pillow(file, both, "rendered")


def render_renditions(file):
    """The renditions of a stored clean original (`render_original`'s, already upright and
    stripped), in memory: [(width, height, WebP bytes)], narrowest first. The slow part of an
    upload, made by the renditions task. A Pillow failure is a ValidationError in words."""

    def renditions(source, stem):
        source.load()
        return _renditions(source, source.info.get("icc_profile"), FORMATS[source.format])

    return _with_pillow(file, renditions, "renditions")


NOT_PREPARED = (
    "The site could not make the resized copies of this image: it may be damaged. "
    "Open it in an image editor, export it as JPEG or PNG and upload it again."
)


def _with_pillow(file, work, what):
    started = time.perf_counter()
    file.seek(0)
    try:
        with PILImage.open(file) as source:
            made = work(source, PurePosixPath(file.name).stem)
    except Exception as error:  # Pillow fails on hostile files in many ways; all mean "refuse"
        log.warning("image refused while preparing: %s: %s", type(error).__name__, error)
        raise ValidationError(NOT_PREPARED, code="not_prepared") from None
    log.info("image %s name=%s ms=%.0f", what, file.name, (time.perf_counter() - started) * 1000)
    return made


def _original(source, stem):
    """(the Original, the upright picture, its colour profile) of an opened upload."""
    kind = FORMATS[source.format]
    filename = f"{stem}.{EXTENSIONS[kind]}"
    if _frames(source) > 1:
        # Frames are kept as they are (re-encoding an animation is not worth it), saved again
        # without comments, EXIF or XMP: Pillow writes those only when asked.
        for key in ("comment", "exif", "xmp", "XML:com.adobe.xmp"):
            source.info.pop(key, None)
        original = _save_animation(source, kind)
        return Original(filename, original, *source.size, still=False), None, None
    icc_profile = source.info.get("icc_profile")
    upright = ImageOps.exif_transpose(source)
    upright.info = {}
    data = _encode(upright, kind, icc_profile=icc_profile)
    return Original(filename, data, *upright.size, still=True), upright, icc_profile


def _renditions(upright, icc_profile, kind):
    picture = _in_srgb(upright, icc_profile)
    renditions = []
    for width in rendition_widths(picture.width):
        height = max(1, round(picture.height * width / picture.width))
        resized = (
            picture if width == picture.width else picture.resize((width, height), PILImage.LANCZOS)
        )
        data = _encode(resized, "WEBP")
        if kind in {"PNG", "GIF"}:
            # Drawings, charts and screenshots: lossless WebP is often a fifth of lossy's size
            # (and sharper); a photo saved as PNG keeps the lossy copy. The smaller one wins.
            data = min(data, _encode(resized, "WEBP", lossless=True), key=len)
        renditions.append((width, height, data))
    return renditions


def _in_srgb(picture, icc_profile):
    """The picture in RGB or RGBA, its colours converted from its profile to sRGB, the colour
    space a browser assumes for an image without one (renditions carry none: a profile can
    weigh more than the picture). A profile littlecms cannot read or apply is ignored, as
    browsers ignore it."""
    alpha = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
    mode = "RGBA" if alpha else "RGB"
    if picture.mode == "P" or (picture.mode not in {"RGB", "RGBA", "L", "CMYK"}):
        picture = picture.convert(mode)
    if icc_profile:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(picture, profile, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError) as error:
            log.info("image colour profile ignored: %s", error)
    return picture if picture.mode == mode else picture.convert(mode)


def _encode(picture, kind, *, icc_profile=None, lossless=False):
    """The picture as `kind` bytes with no metadata but the colour profile it is given."""
    if kind in {"JPEG"} and picture.mode not in {"RGB", "L", "CMYK"}:
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


def store(image, rendered):
    """Write what `render` made to `image`'s storage (the original in place of the upload) and
    set its width, height and renditions (state ready); the caller saves the row. A failed
    write deletes the files written before it."""
    _write_original(image, rendered.filename, rendered.original)
    try:
        renditions = write_renditions(image, rendered.renditions)
    except BaseException:
        image.file.storage.delete(image.file.name)
        raise
    image.width, image.height, image.renditions = rendered.width, rendered.height, renditions
    image.state, image.failure = image.State.READY, ""
    log.info("image stored name=%s renditions=%d", image.file.name, len(renditions))


def store_original(image, original):
    """Write what `render_original` made in place of the upload and set width and height; a
    still picture is left "processing" (no renditions yet: the caller saves the row and calls
    `image.queue_renditions()`), an animation is ready (it keeps only its original)."""
    _write_original(image, original.filename, original.data)
    image.width, image.height, image.renditions = original.width, original.height, []
    image.state = image.State.PROCESSING if original.still else image.State.READY
    image.failure, image.processing_since = "", timezone.now() if original.still else None
    log.info("image original stored name=%s state=%s", image.file.name, image.state)


def _write_original(image, filename, data):
    image.file.save(filename, ContentFile(data), save=False)


def rendition_name(original_name, width):
    """A rendition's storage name: the original's, with its width. The same every time, so a
    task run again after its worker died writes over what the dead one left."""
    base = PurePosixPath(original_name)
    return str(base.with_name(f"{base.stem}-{width}w.webp"))


def write_renditions(image, made):
    """Write renditions [(width, height, bytes)] beside `image`'s original; returns what
    `image.renditions` holds. A failed write deletes those written before it."""
    storage, written = image.file.storage, []
    try:
        for width, height, data in made:
            name = rendition_name(image.file.name, width)
            storage.delete(name)  # left by an earlier attempt that died: written again
            name = storage.save(name, ContentFile(data))
            written.append({"name": name, "width": width, "height": height})
    except BaseException:
        delete_names(storage, [r["name"] for r in written])
        raise
    return written


def make_renditions(image):
    """Read `image`'s stored original, make its renditions and write them; returns what
    `image.renditions` is to hold (the caller saves it). Raises ValidationError in words, with
    nothing written, when Pillow fails on the file."""
    with image.file.storage.open(image.file.name, "rb") as opened:
        file = File(io.BytesIO(opened.read()), name=image.file.name)
    return write_renditions(image, render_renditions(file))


def delete_names(storage, names):
    for name in names:
        if name:
            storage.delete(name)


def delete_files(image):
    """Remove an image's original and renditions from its storage."""
    delete_names(image.file.storage, [image.file.name, *(r["name"] for r in image.renditions)])
