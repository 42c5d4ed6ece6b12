"""`manage.py export_wordpress [OUTPUT.xml]`: the site as a WXR file WordPress imports."""

from django.core.management.base import BaseCommand

from wordpress import exporter


class Command(BaseCommand):
    help = (
        "Write a WordPress export (WXR 1.2) of every article and comment, with threads and "
        "status, for WordPress's importer (Tools › Import › WordPress). To a file, or stdout."
    )
    # Akismet's W001 ("Akismet is off") matters to the web server, not here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", help="the file to write (default: stdout)")

    def handle(self, output=None, **options):
        if output:
            with open(output, "w", encoding="utf-8") as out:
                counts = exporter.write(out)
            self.stderr.write(
                f"Wrote {counts['articles']} articles and {counts['comments']} comments to "
                f"{output}."
            )
        else:
            exporter.write(self.stdout)  # every piece written ends with a newline
