"""`manage.py export_wordpress [OUTPUT.xml | OUTPUT.zip] [--uploads DIR]`: the site as a WXR
file WordPress imports, with the media library's files (wordpress/exporter.py)."""

import shutil
import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress import exporter


class Command(BaseCommand):
    help = (
        "Write a WordPress export (WXR 1.2) of every article and comment (with threads and "
        "status), page and image (as attachments), for WordPress's importer (Tools › Import › "
        "WordPress) or this site's. OUTPUT.xml writes the images' files to a folder beside it "
        "(OUTPUT-uploads/, or --uploads DIR), laid out as wp-content/uploads; OUTPUT.zip writes "
        "the export and wp-content/uploads in one zip, which the admin's import page takes. "
        "Without OUTPUT, the export alone to stdout."
    )
    # Akismet's W001 ("Akismet is off") matters to the web server, not here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", help="the .xml or .zip to write (default: stdout)")
        parser.add_argument("--uploads", help="the folder the images' files go to (with .xml)")

    def handle(self, output=None, uploads=None, **options):
        if not output:
            if uploads:
                raise CommandError("--uploads needs an OUTPUT.xml to write beside.")
            exporter.write(self.stdout)  # every piece written ends with a newline
            return
        path = Path(output)
        if path.suffix.lower() == ".zip":
            # The export is written to a file first: a zip takes one entry at a time, and the
            # images' files go in as the export names them.
            with (
                zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
                tempfile.TemporaryFile("w+", encoding="utf-8") as out,
            ):
                files = exporter.Files(zip_file=archive, prefix="wp-content/uploads/")
                counts = exporter.write(out, files=files)
                out.seek(0)
                with archive.open(f"{path.stem}.xml", "w") as entry:
                    shutil.copyfileobj(out.buffer, entry)
            where = f"{output} (the export and wp-content/uploads)"
        else:
            folder = Path(uploads) if uploads else path.with_name(f"{path.stem}-uploads")
            folder.mkdir(parents=True, exist_ok=True)
            files = exporter.Files(folder=folder)
            with path.open("w", encoding="utf-8") as out:
                counts = exporter.write(out, files=files)
            where = f"{output}, the images' files in {folder}/"
        self.stderr.write(
            f"Wrote {counts['articles']} articles, {counts['comments']} comments, "
            f"{counts['pages']} pages and {counts['images']} images ({files.written} files) "
            f"to {where}."
        )
        for name in files.missing:
            self.stderr.write(f"  missing from the media storage, not written: {name}")
