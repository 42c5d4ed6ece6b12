"""`manage.py import_wordpress EXPORT.xml|SITE.zip [--uploads DIR|UPLOADS.zip] [--dry-run]`:
see README.md, "Moving from WordPress"."""

import sys
import zipfile
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fitness.articles.demo import records as demo_records
from fitness.articles.demo import removal as demo_removal
from wordpress.importer import import_export
from wordpress.models import ImportRun
from wordpress.upload import import_uploaded


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools › Export › All content): posts as articles, their "
        "comments with threads and history, old addresses as redirects. Running it again "
        "changes nothing; a later export adds what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "export", help="the WXR file WordPress wrote (or a zip of it and the uploads)"
        )
        parser.add_argument(
            "--uploads", help="the site's wp-content/uploads folder (read only), or a zip of it"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen; save nothing"
        )
        demo = parser.add_mutually_exclusive_group()
        demo.add_argument(
            "--remove-demo",
            action="store_true",
            help="on a site that still holds the demo, remove it first (remove_demo)",
        )
        demo.add_argument("--keep-demo", action="store_true", help="import beside the demo content")

    # Akismet's W001 does not matter to an import (imported comments are not screened).
    requires_system_checks = []

    def handle(self, export, uploads=None, dry_run=False, **options):
        path = Path(export)
        if not path.is_file():
            raise CommandError(f"No such file: {export}")
        zipped = uploads and Path(uploads).is_file() and zipfile.is_zipfile(uploads)
        if uploads and not zipped and not Path(uploads).is_dir():
            raise CommandError(f"No such folder: {uploads}")
        if demo_records.is_loaded():
            if dry_run:  # nothing is saved, nothing removed: just said
                self.stdout.write(
                    "This site still holds the demo content: the import itself would ask to "
                    "remove it first (--remove-demo, --keep-demo)."
                )
            elif self.remove_demo_first(options):
                for line in demo_removal.remove():
                    self.stdout.write(line)
        if zipped or zipfile.is_zipfile(path):  # unpacked as the admin's page does
            with path.open("rb") as file, ExitStack() as stack:
                uploads_zip = stack.enter_context(open(uploads, "rb")) if zipped else None
                for event in import_uploaded(file, uploads_zip, dry_run=dry_run):
                    report = event
        else:
            with path.open("rb") as file, progress_bar(file, path.stat().st_size) as advance:
                report = import_export(
                    file, uploads=uploads, dry_run=dry_run, progress=advance, file_name=path.name
                )
        text = report.text()
        if not dry_run:
            ImportRun.objects.create(
                file_name=path.name, ok=report.ok, report=text, counts=dict(report.counts)
            )
        self.stdout.write(text)
        if not report.ok:
            raise CommandError(report.error)

    def remove_demo_first(self, options) -> bool:
        """The demo is here: remove it? The flags say, else a person at a terminal is asked."""
        if options["remove_demo"] or options["keep_demo"]:
            return options["remove_demo"]
        if not sys.stdin.isatty():
            raise CommandError(
                "This site still holds the demo content: add --remove-demo to remove it "
                "first, or --keep-demo to import beside it."
            )
        answer = input("This site still holds the demo content. Remove it first? [Y/n] ")
        return answer.strip().lower() in ("", "y", "yes")


class progress_bar:
    """A rich progress bar over the file's bytes, on a terminal only (nothing in a log)."""

    def __init__(self, file, size):
        self.file, self.size, self.progress = file, size, None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.progress import Progress  # rich costs ~0.1 s to import: only on a terminal

        self.progress = Progress(transient=True)
        self.progress.start()
        task = self.progress.add_task("Importing", total=self.size)
        return lambda: self.progress.update(task, completed=self.file.tell())

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()
