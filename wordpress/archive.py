"""
A zip uploaded to the admin's import, unpacked safely: the old site's `wp-content/uploads`
(or the export and its uploads together in one zip).

    unpacked = unpack(zip_file, into=Path, limit_bytes=...)   # raises ArchiveError, in words
    unpacked.export     the WXR file in it (Path) or None
    unpacked.uploads    the folder its images went to (Path)
    unpacked.left_out   [(name in the zip, why)]: what was not unpacked

Nothing in the zip is trusted:
- names: an absolute path, a `..`, a drive letter, a backslash, a link or a device is never
  written (zip-slip); each file goes where its name says, under `into`, or nowhere;
- sizes: the files unpacked may add up to `limit_bytes` at most, counted as they are written
  (the sizes a zip declares can lie), and a file that unpacks to more than MAX_RATIO times its
  compressed size is refused (a zip bomb); at most MAX_FILES entries are looked at;
- content: only the export (`.xml`) and images of the kinds the media library takes (by their
  name here; `fitness.articles.images.validate_upload` reads each one the import uses before
  it becomes an image, as it does every upload).
The folder layout is found, not assumed: `wp-content/uploads/2026/12/a.png`,
`uploads/2026/12/a.png` and `2026/12/a.png` all unpack to `uploads/2026/12/a.png`.
"""

import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp"}
MAX_RATIO = 200  # uncompressed / compressed, per file: text compresses ~10x, images ~1x
MAX_FILES = 200_000  # entries looked at; WordPress keeps ~5 files per image
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The zip cannot be used at all; the message says why, for the site owner."""


@dataclass
class Unpacked:
    uploads: Path
    export: Path | None = None
    left_out: list = field(default_factory=list)  # (name in the zip, why)
    images: int = 0
    bytes: int = 0


def safe_name(name: str) -> PurePosixPath | None:
    """The entry's path if it is a plain relative one (no `..`, no root, no drive, no
    backslash, no control character), else None."""
    if not name or "\\" in name or any(ord(c) < 32 for c in name):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    return path


def uploads_relative(path: PurePosixPath) -> PurePosixPath:
    """The path under the uploads folder: after `wp-content/uploads/` or `uploads/`, else the
    path itself (a zip of the folder's contents)."""
    parts = path.parts
    for marker in (("wp-content", "uploads"), ("uploads",)):
        for i in range(len(parts) - len(marker)):
            if parts[i : i + len(marker)] == marker:
                return PurePosixPath(*parts[i + len(marker) :])
    return path


def unpack(source, *, into: Path, limit_bytes: int, want_export: bool = True) -> Unpacked:
    """Unpack the export and the images of the zip `source` (a path or a binary file) into
    the folder `into` (which must exist); raise ArchiveError if it is no zip or too big."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ArchiveError(f"This is not a zip file that can be read ({error}).") from error
    unpacked = Unpacked(uploads=into / "uploads")
    unpacked.uploads.mkdir(exist_ok=True)
    exports = []
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_FILES:
            raise ArchiveError(
                f"The zip holds {len(entries):,} entries; the import reads at most "
                f"{MAX_FILES:,}. Zip only wp-content/uploads (and the export)."
            )
        for entry in entries:
            if entry.is_dir():
                continue
            why = refused(entry)
            path = safe_name(entry.filename)
            if path is None:
                why = "its name points outside the folder (refused: zip-slip)"
            if why:
                unpacked.left_out.append((entry.filename[:200], why))
                continue
            suffix = path.suffix.lower()
            if suffix == ".xml" and want_export:
                target = into / "export" / f"{len(exports)}.xml"
                exports.append((path, target))
            elif suffix in IMAGE_SUFFIXES:
                target = unpacked.uploads / uploads_relative(path)
            else:
                unpacked.left_out.append(
                    (entry.filename[:200], "not an image the media library takes")
                )
                continue
            if not target.resolve().is_relative_to(into.resolve()):  # belt and braces
                unpacked.left_out.append((entry.filename[:200], "outside the folder (refused)"))
                continue
            written = copy(archive, entry, target, limit_bytes - unpacked.bytes)
            unpacked.bytes += written
            unpacked.images += suffix in IMAGE_SUFFIXES
    if len(exports) > 1:
        names = ", ".join(str(p) for p, _ in exports[:5])
        raise ArchiveError(f"The zip holds more than one .xml file ({names}): which is the export?")
    if exports:
        unpacked.export = exports[0][1]
    return unpacked


def refused(entry: zipfile.ZipInfo) -> str:
    """Why an entry is not unpacked whatever its name: a link or a device, a zip bomb."""
    kind = stat.S_IFMT(entry.external_attr >> 16)  # 0: no Unix type recorded (a plain file)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a link or a special file (refused)"
    if entry.flag_bits & 0x1:
        return "encrypted"
    if entry.file_size > CHUNK and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
        return (
            f"it unpacks to {entry.file_size:,} bytes from {entry.compress_size:,} "
            f"(more than {MAX_RATIO} times: refused as a zip bomb)"
        )
    return ""


def copy(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Write one entry, counting what is really written against the budget left."""
    if entry.file_size > budget:
        raise_too_big()
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with archive.open(entry) as source, target.open("wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > budget or written > MAX_RATIO * max(entry.compress_size, 1) + CHUNK:
                    out.close()
                    target.unlink(missing_ok=True)
                    raise_too_big()
                out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        target.unlink(missing_ok=True)
        raise ArchiveError(f"The zip is damaged at {entry.filename[:200]!r} ({error}).") from error
    except NotImplementedError as error:  # a compression method zipfile does not read
        target.unlink(missing_ok=True)
        raise ArchiveError(f"{entry.filename[:200]!r}: {error}. Zip it again.") from error
    return written


def raise_too_big():
    raise ArchiveError(
        "The zip unpacks to more than the import takes (WORDPRESS_UPLOADS_MAX_MB): zip only "
        "wp-content/uploads, or import with manage.py import_wordpress --uploads."
    )


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
