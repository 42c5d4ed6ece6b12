"""
WordPress's uploads made images of the media library (`fitness.Image`), so that an imported
article shows its featured image, and the images in its body, as an article written here does:
resized renditions, `srcset`, `width`/`height`. Nothing is fetched from the network: the files
come from the `--uploads` folder (the old site's `wp-content/uploads`). An image that is not
there keeps its old address, which readers see as a link (the CSP lets no other host's image
load), and the report says so.

    library = Library(source=..., uploads=Path or None, by=user, dry_run=False)
    library.add(item)                       # each attachment item of the export
    library.image(attachment_id) -> Image | None, why not
    library.rewrite(body) -> (body, [(url, why not)])   # <img src=".../uploads/..."> -> image:ID
    library.place(article_or_page, thumbnail_id) -> [what could not be shown, and why]
    library.unused() -> [(attachment, why it was not made)]
    library.delete_written()                # the import rolled back: its files go too

Keyed on WordPress's attachment id (`fitness.ImportedPost`, source_type "attachment"): a
second import makes no second copy. A body names a file, often one of WordPress's own resized
copies (`photo-1024x683.jpg`): it is matched to the attachment whose original it was made from.
"""

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File

from fitness.articles import images
from fitness.articles.models import Image
from wordpress.models import ImportedPost

UPLOADS = "/wp-content/uploads/"
# WordPress's resized and edited copies of an upload: photo-1024x683.jpg, photo-scaled.jpg.
COPY_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated|e\d{10,})(?=\.[A-Za-z0-9]+$)")
IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
LIBRARY_ID = re.compile(r"(\]\(|src=[\"'])image:(\d+)")
# What WordPress writes on an <img> that our rendering makes again from the library image.
REDUNDANT = re.compile(
    r"""\s(?:srcset|sizes|width|height|class|loading|decoding)\s*=\s*(["']).*?\1""",
    re.IGNORECASE | re.DOTALL,
)


@dataclass
class Attachment:
    id: str
    url: str
    relative: str  # under the uploads folder, as WordPress stored it
    alt: str
    caption: str
    title: str
    credit: str = ""
    kept: bool = False  # this site's export: an image of its library, made even if unused


def uploads_path(url: str) -> str | None:
    """ "2026/12/photo-1024x683.jpg" for an address under /wp-content/uploads/, else None."""
    path = unquote(urlsplit(url.strip()).path)
    if UPLOADS not in path:
        return None
    return path.split(UPLOADS, 1)[1].lstrip("/") or None


def original_of(relative: str) -> str:
    """The upload a resized copy was made from: 2026/12/photo-1024x683.jpg -> 2026/12/photo.jpg."""
    return COPY_SUFFIX.sub("", relative)


class Library:
    def __init__(self, *, source: str, uploads: Path | None, by=None, dry_run: bool = False):
        self.source, self.uploads, self.by, self.dry_run = source, uploads, by, dry_run
        self.attachments: dict[str, Attachment] = {}
        self.by_file: dict[str, str] = {}  # relative file (and its original) -> attachment id
        self.made: dict[str, tuple[Image | None, str]] = {}
        self.written: list[Image] = []  # their files, to delete if the import rolls back
        self.counts = {"images_new": 0, "images_kept": 0}

    def add(self, item) -> None:
        relative = (item.meta.get("_wp_attached_file") or "").strip().lstrip("/")
        relative = relative or uploads_path(item.attachment_url) or ""
        attachment = Attachment(
            id=item.id,
            url=item.attachment_url,
            relative=relative,
            alt=(item.meta.get("_wp_attachment_image_alt") or "").strip(),
            caption=(item.excerpt or "").strip(),
            title=(item.title or "").strip(),
            credit=(item.meta.get("_fitness_credit") or "").strip(),
            kept=item.meta.get("_fitness_image") == "1",
        )
        self.attachments[item.id] = attachment
        if relative:
            self.by_file.setdefault(relative, item.id)
            self.by_file.setdefault(original_of(relative), item.id)

    # --- one image --------------------------------------------------------------------------

    def image(self, attachment_id: str) -> tuple[Image | None, str]:
        """The library image of a WordPress attachment, made from its file the first time;
        else None and why (in words for the report)."""
        if attachment_id not in self.made:
            self.made[attachment_id] = self._make(attachment_id)
        return self.made[attachment_id]

    def _make(self, attachment_id: str) -> tuple[Image | None, str]:
        mapping = (
            ImportedPost.objects.filter(source=self.source, source_id=_int(attachment_id))
            .select_related("image")
            .first()
        )
        if mapping is not None and mapping.image is not None:
            self.counts["images_kept"] += 1
            return mapping.image, ""
        attachment = self.attachments.get(attachment_id)
        if attachment is None:
            return None, f"attachment {attachment_id} is not in the export"
        if mapping is not None:
            return None, f"id {attachment_id} was imported as something else before"
        if self.uploads is None:
            return None, "no --uploads folder given"
        path = self.uploads / attachment.relative if attachment.relative else None
        if path is None or not _inside(path, self.uploads) or not path.is_file():
            return None, f"missing from the uploads folder ({attachment.relative or '?'})"
        with path.open("rb") as opened:
            file = File(opened, name=PurePosixPath(attachment.relative).name)
            try:
                images.validate_upload(file)
            except ValidationError as refused:
                return None, " ".join(refused.messages)
            self.counts["images_new"] += 1
            if self.dry_run:  # nothing is written; the report counts it all the same
                return None, "a dry run writes no files"
            alt = attachment.alt or attachment.title or PurePosixPath(attachment.relative).stem
            image = Image(
                alt=alt[:250],
                caption=attachment.caption[:300],
                credit=attachment.credit[:200],
                uploaded_by=self.by,
            )
            image.file = file
            try:
                image.prepare()  # writes nothing when Pillow fails on the file
            except ValidationError as refused:
                return None, " ".join(refused.messages)
            self.written.append(image)
            image.save()
        ImportedPost.objects.create(
            source=self.source,
            source_id=_int(attachment_id),
            source_type="attachment",
            image=image,
        )
        return image, ""

    def made_images(self) -> list[tuple[str, Image]]:
        """(attachment id, its library image) for each image this run made or found."""
        return [(aid, image) for aid, (image, _) in self.made.items() if image is not None]

    def delete_written(self) -> None:
        """Delete the files of the images made (originals and renditions): their rows were
        rolled back, and a file nothing points at would stay in the storage for good."""
        for image in self.written:
            image.delete_files()
        self.written = []

    # --- an imported article or page ---------------------------------------------------------

    def make_kept(self) -> list[tuple[str, str]]:
        """Make the images this site's export carried for their own sake (its media library,
        shown by an article or not); returns those that could not be, with why."""
        failed = []
        for attachment_id, attachment in self.attachments.items():
            if attachment.kept:
                image, why = self.image(attachment_id)
                if image is None and why:
                    failed.append((f'attachment {attachment_id} "{attachment.relative}"', why))
        return failed

    def place(self, target, thumbnail: str, *, markdown: bool = False) -> list[str]:
        """Give an imported article (or page) its featured image (an attachment id, or "") and
        point its body's images at the library (a body written here, `markdown`, names them
        `image:<attachment id>`); returns what could not be, in words. Called once the whole
        export is read: an attachment comes after the posts that show it."""
        missing, changed = [], []
        if thumbnail:
            image, why = self.image(thumbnail)
            if image is None:
                missing.append(f"featured image (attachment {thumbnail}): {why}")
            elif target.featured_image_id != image.pk:
                target.featured_image = image
                changed.append("featured_image")
        body, not_shown = self.rewrite(target.body)
        if markdown:
            body, more = self.rewrite_library_ids(body)
            not_shown += more
        missing += [f"image {url}: {why}" for url, why in not_shown]
        if body != target.body:
            target.body = body
            changed.append("body")
        if changed:
            target.save(update_fields=[*changed, "updated_at"])
        return missing

    def unused(self) -> list[tuple[str, str]]:
        """The attachments no imported article or page showed (so not made), with why."""
        return [
            (
                f'attachment {attachment_id} "{attachment.relative or attachment.url}"',
                "no imported article or page shows it (upload it in the media library if "
                "you need it)",
            )
            for attachment_id, attachment in self.attachments.items()
            if attachment_id not in self.made
        ]

    # --- bodies -------------------------------------------------------------------------------

    def rewrite_library_ids(self, body: str) -> tuple[str, list[tuple[str, str]]]:
        """`image:<attachment id>` (a body this site's export carried) -> `image:<our id>`."""
        missing = []

        def replace(match):
            image, why = self.image(match.group(2))
            if image is None:
                missing.append((f"image:{match.group(2)}", why))
                return match.group(0)
            return f"{match.group(1)}image:{image.pk}"

        return LIBRARY_ID.sub(replace, body), missing

    def rewrite(self, body: str) -> tuple[str, list[tuple[str, str]]]:
        """The body with each uploaded image pointing at its library image (`image:ID`, which
        the body's rendering turns into renditions), and the images it could not, with why."""
        missing = []

        def replace(match):
            before, quote, url = match.group(1), match.group(2), match.group(3)
            relative = uploads_path(url)
            if relative is None:
                missing.append((url, "on another site: readers see a link to it"))
                return match.group(0)
            attachment_id = self.by_file.get(relative) or self.by_file.get(original_of(relative))
            if attachment_id is None:
                why = "no attachment of the export names this file"
                missing.append((url, f"{why}; readers see a link to its old address"))
                return match.group(0)
            image, why = self.image(attachment_id)
            if image is None:
                missing.append((url, f"{why}; readers see a link to its old address"))
                return match.group(0)
            return f"{REDUNDANT.sub('', before)}{quote}image:{image.pk}{quote}"

        rewritten = IMG_SRC.sub(replace, body)
        # What came after src= on each rewritten tag (WordPress's srcset, sizes, class).
        rewritten = re.sub(
            r"<img\b[^>]*\bsrc=([\"'])image:\d+\1[^>]*>",
            lambda m: REDUNDANT.sub("", m.group(0)),
            rewritten,
            flags=re.IGNORECASE,
        )
        return rewritten, missing


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _inside(path: Path, folder: Path) -> bool:
    """A file named by the export must be inside the uploads folder (no ../../etc/passwd)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False
