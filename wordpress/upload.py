"""
An import from the files uploaded on the admin's import page: the export (a WXR file, or a zip
holding it and the uploads) and, beside it, a zip of the old site's `wp-content/uploads`.
They are unpacked safely (`wordpress.archive`) into a temporary folder, imported one step at a
time (`importer.import_steps`) so the page can show how far it is, and the folder is removed
at the end, whatever happened.

    for event in import_uploaded(export_file, uploads_zip, dry_run=False, by=user):
        if isinstance(event, Progress): ...     # percent of the export read, items so far
        else: report = event                    # the last one: the Report (as the CLI's)
"""

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from wordpress import archive
from wordpress.importer import import_steps
from wordpress.importing.report import Report


@dataclass
class Progress:
    percent: int
    items: int
    phase: str  # "unpacking", "reading", "images"


def is_zip(file) -> bool:
    file.seek(0)
    try:
        return zipfile.is_zipfile(file)
    finally:
        file.seek(0)


def import_uploaded(export_file, uploads_zip=None, *, dry_run=False, by=None):
    """Yield Progress events, then the Report. Nothing raises for a bad file: the report's
    error says what was wrong with it (a zip that cannot be used, no export in it)."""
    name = Path(getattr(export_file, "name", "") or "export.xml").name
    report = Report(file_name=name, dry_run=dry_run)
    folder = Path(tempfile.mkdtemp(prefix="wordpress-import-"))
    try:
        yield Progress(0, 0, "unpacking")
        try:
            export, uploads = unpack(export_file, uploads_zip, folder, report)
        except archive.ArchiveError as error:
            report.error = str(error)
            yield report
            return
        with export.open("rb") if isinstance(export, Path) else _rewound(export) as source:
            size = max(_size(source), 1)
            items, last = 0, -1
            for step in import_steps(source, report, uploads=uploads, dry_run=dry_run, by=by):
                if step == "item":
                    items += 1
                    percent = min(99, int(100 * _tell(source) / size))
                    if percent != last:
                        last = percent
                        yield Progress(percent, items, "reading")
                else:
                    yield Progress(99, items, "images")
        yield report
    finally:
        archive.remove(folder)


def unpack(export_file, uploads_zip, folder: Path, report: Report):
    """(the export to read: a Path or the uploaded file, the uploads folder or None)."""
    limit = settings.WORDPRESS_UPLOADS_MAX_MB * 1024 * 1024
    export, uploads, unpacked_bytes = export_file, None, 0
    zips = []
    if is_zip(export_file):
        zips.append((export_file, True))
    if uploads_zip is not None:
        zips.append((uploads_zip, False))
    for file, want_export in zips:
        unpacked = archive.unpack(
            file, into=folder, limit_bytes=limit - unpacked_bytes, want_export=want_export
        )
        unpacked_bytes += unpacked.bytes
        uploads = unpacked.uploads
        for entry, why in unpacked.left_out:
            report.skip(f'"{entry}" in {Path(file.name).name}', why)
        if want_export:
            if unpacked.export is None:
                raise archive.ArchiveError(
                    "The zip holds no export (.xml): add the file WordPress wrote from "
                    "Tools › Export, or upload it on its own with the uploads zip beside it."
                )
            export = unpacked.export
    return export, uploads


class _rewound:
    def __init__(self, file):
        self.file = file

    def __enter__(self):
        self.file.seek(0)
        return self.file

    def __exit__(self, *exc):
        return False


def _size(file) -> int:
    position = file.tell()
    file.seek(0, 2)
    size = file.tell()
    file.seek(position)
    return size


def _tell(file) -> int:
    try:
        return file.tell()
    except (OSError, ValueError):
        return 0
